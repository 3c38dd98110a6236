"""The rules of the trade network and its coverage.

Town coverage = towns with an active outlet located in the town / towns that exist; village
coverage = villages with an active outlet located in the village / villages that exist (合同 2.2:
镇级 100%，村级 50%). "Exist" and "active" are judged on the given day from the opening and closing
dates, as station coverage is (``stations.services.compute_coverage``); every figure is a database
aggregate, one query per level.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core.services import with_evidence
from muxiang.network.choices import OutletStatus
from muxiang.network.models import SERVING_STATUSES, Outlet
from muxiang.regions.models import Region

METRIC = "trade_network.coverage"
# The contract's figures (2.2), used when no loaded contract names them.
DEFAULT_TARGETS = {"town": Decimal("100"), "village": Decimal("50")}


def outlet_problems(region_level, status, opened_on, closed_on) -> dict[str, str]:
    """{field: message} of what is wrong with an outlet's place and dates; the model's ``clean()``
    and the ledger's ``clean_row`` both ask it."""
    problems = {}
    if region_level is not None and region_level not in ("town", "village"):
        problems["region"] = _("网点应位于镇/苏木或村/嘎查，不能直接登记在旗/县")
    if status in SERVING_STATUSES and not opened_on:
        problems["opened_on"] = _("状态为「%(s)s」的网点需要填写开业日期") % {"s": OutletStatus(status).label}
    if closed_on and opened_on and closed_on < opened_on:
        problems["closed_on"] = _("关闭日期不能早于开业日期")
    elif status == OutletStatus.CLOSED and not closed_on:
        problems["closed_on"] = _("已关闭的网点需要填写关闭日期")
    return problems


@dataclass
class NetworkCoverage:
    key: str  # "town" or "village"
    label: str
    covered: int
    total: int
    target_percent: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.covered) * 100 / self.total).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        if self.percent is None or self.target_percent is None:
            return None
        return self.percent >= self.target_percent


def coverage_targets(contract=None) -> dict[str, Decimal]:
    """The town and village coverage targets in percent: the contract's when it names them."""
    from muxiang.contracts.models import Target

    targets = dict(DEFAULT_TARGETS)
    found = Target.objects.filter(metric=METRIC)
    if contract is not None:
        found = found.filter(contract=contract)
    for target in found.order_by("contract_id", "order"):
        level = (target.params or {}).get("level")
        if level in targets and target.total is not None:
            targets[level] = target.total
    return targets


def serving_outlets(day: datetime.date, evidenced=False):
    """Active outlets open on ``day``; ``evidenced``: only those carrying evidence (True for any
    file, or the list of kinds a target requires)."""
    outlets = Outlet.objects.filter(status=OutletStatus.ACTIVE).open_on(day)
    if evidenced:
        outlets = with_evidence(outlets, evidenced if isinstance(evidenced, list | tuple) else None)
    return outlets


def compute_network_coverage(
    county: Region | None = None, on: datetime.date | None = None, evidenced=False, targets=None
) -> list[NetworkCoverage]:
    """Town and village trade-network coverage of ``county`` on ``on`` (today by default)."""
    day = on or timezone.localdate()
    regions = Region.objects.existing_on(day)
    if county is not None:
        regions = regions.within(county)
    covered = Exists(serving_outlets(day, evidenced).filter(region=OuterRef("pk")))
    towns = regions.towns().aggregate(total=Count("pk"), covered=Count("pk", filter=covered))
    villages = regions.villages().aggregate(total=Count("pk"), covered=Count("pk", filter=covered))
    targets = targets if targets is not None else coverage_targets()
    return [
        NetworkCoverage(
            "town", _("镇级商贸流通网络覆盖率"), towns["covered"], towns["total"], targets.get("town")
        ),
        NetworkCoverage(
            "village",
            _("村级商贸流通网络覆盖率"),
            villages["covered"],
            villages["total"],
            targets.get("village"),
        ),
    ]


def coverage_by_town(county: Region | None = None, on: datetime.date | None = None):
    """Per town: (town with ``has_outlet`` and ``outlet_count``, {total, covered_n} of its
    villages). Three queries whatever the number of towns."""
    day = on or timezone.localdate()
    serving = serving_outlets(day)
    towns = Region.objects.existing_on(day).towns()
    if county is not None:
        towns = towns.filter(parent=county)
    villages = (
        Region.objects.existing_on(day)
        .villages()
        .annotate(covered=Exists(serving.filter(region=OuterRef("pk"))))
    )
    counts = {
        row["parent"]: row
        for row in villages.values("parent").annotate(
            total=Count("pk"), covered_n=Count("pk", filter=Q(covered=True))
        )
    }
    towns = towns.annotate(
        has_outlet=Exists(serving.filter(region=OuterRef("pk"))),
        outlet_count=Count(
            "outlets",
            filter=Q(
                outlets__deleted_at__isnull=True,
                outlets__status=OutletStatus.ACTIVE,
                outlets__opened_on__lte=day,
            )
            & (Q(outlets__closed_on__isnull=True) | Q(outlets__closed_on__gt=day)),
        ),
    )
    return [(town, counts.get(town.pk, {})) for town in towns.order_by("path")]
