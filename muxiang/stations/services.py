"""Coverage: the share of towns, villages and exited-poverty villages that have an active station.

Town coverage = towns with an active town-level station / towns that exist; village coverage =
villages with an active village-level station / villages that exist; exited-poverty coverage the
same over 出列村 only. "Exist" and "active" are judged on the given day, from opening and closing
dates, so that a past month is measured as it was. All counts are database aggregates.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.core.services import with_evidence
from muxiang.regions.models import Region
from muxiang.stations.choices import StationLevel, StationStatus
from muxiang.stations.models import Station


@dataclass
class CoverageFigure:
    key: str
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


def coverage_targets() -> dict[str, Decimal]:
    """The contract's coverage targets in percent.

    Until contracts are loaded as data (the contract engine), they come from the
    ``MUXIANG_COVERAGE_TARGETS`` setting, which defaults to the Urad Middle Banner contract (1.2)."""
    raw = getattr(settings, "MUXIANG_COVERAGE_TARGETS", {})
    return {key: Decimal(str(value)) for key, value in raw.items()}


def compute_coverage(
    county: Region | None = None, on: datetime.date | None = None, evidenced=False
) -> list[CoverageFigure]:
    """``evidenced``: count only stations that carry evidence (a photo of the open station), as a
    contract target that requires evidence does: True for any file, or the list of kinds the
    target requires (``core.services.with_evidence``)."""
    day = on or timezone.localdate()
    regions = Region.objects.existing_on(day)
    if county is not None:
        regions = regions.within(county)
    serving = Station.objects.filter(status=StationStatus.ACTIVE).open_on(day)
    if evidenced:
        serving = with_evidence(serving, evidenced if isinstance(evidenced, list | tuple) else None)
    # One pass per level: every figure of the level is a conditional count of the same rows.
    town_covered = Exists(serving.filter(level=StationLevel.TOWN, region=OuterRef("pk")))
    village_covered = Exists(serving.filter(level=StationLevel.VILLAGE, region=OuterRef("pk")))
    towns = regions.towns().aggregate(total=Count("pk"), covered=Count("pk", filter=town_covered))
    villages = regions.villages().aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=village_covered),
        exited=Count("pk", filter=Q(exited_poverty=True)),
        exited_covered=Count("pk", filter=village_covered & Q(exited_poverty=True)),
    )
    targets = coverage_targets()
    return [
        CoverageFigure(
            "town", str(_("镇级站点覆盖率")), towns["covered"], towns["total"], targets.get("town")
        ),
        CoverageFigure(
            "village",
            str(_("村级站点覆盖率")),
            villages["covered"],
            villages["total"],
            targets.get("village"),
        ),
        CoverageFigure(
            "exited_poverty",
            str(_("出列村站点覆盖率")),
            villages["exited_covered"],
            villages["exited"],
            targets.get("exited_poverty"),
        ),
    ]


def coverage_by_town(county: Region | None = None, on: datetime.date | None = None):
    """Per town: has it an active town station, and how many of its villages have one."""
    day = on or timezone.localdate()
    serving = Station.objects.filter(status=StationStatus.ACTIVE).open_on(day)
    towns = Region.objects.existing_on(day).towns()
    if county is not None:
        towns = towns.filter(parent=county)
    villages = (
        Region.objects.existing_on(day)
        .villages()
        .annotate(covered=Exists(serving.filter(level=StationLevel.VILLAGE, region=OuterRef("pk"))))
    )
    from django.db.models import Count, Q

    counts = {
        row["parent"]: row
        for row in villages.values("parent").annotate(
            total=Count("pk"),
            covered_n=Count("pk", filter=Q(covered=True)),
            exited=Count("pk", filter=Q(exited_poverty=True)),
            exited_covered=Count("pk", filter=Q(exited_poverty=True, covered=True)),
        )
    }
    towns = towns.annotate(has_station=Exists(serving.filter(level=StationLevel.TOWN, region=OuterRef("pk"))))
    return [(town, counts.get(town.pk, {})) for town in towns.order_by("path")]
