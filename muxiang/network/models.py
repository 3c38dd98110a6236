"""The 商贸流通网络 (contract 2.2): the outlets of post, supply-and-marketing and rural retail firms
that the programme brings online and ties in with the town and village e-commerce stations.

Coverage counts, on a given day, the towns with an active outlet located in the town itself and the
villages with an active outlet located in the village (``network.services.compute_network_coverage``),
the way station coverage counts stations.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet
from muxiang.network.choices import OutletKind, OutletStatus

SERVING_STATUSES = (OutletStatus.ACTIVE, OutletStatus.SUSPENDED, OutletStatus.CLOSED)


class OutletQuerySet(SoftDeleteQuerySet):
    def active(self):
        return self.filter(status=OutletStatus.ACTIVE)

    def open_on(self, day: datetime.date):
        """Outlets serving on ``day``: opened by then and not closed before it."""
        return self.filter(opened_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def in_region(self, region):
        return self.filter(Q(region=region) | Q(region__path__startswith=region.path + "/"))


class OutletManager(AliveManager.from_queryset(OutletQuerySet)):
    pass


class Outlet(SoftDeleteModel):
    """A 商贸流通网点: a post office counter, a supply-and-marketing co-op shop or a rural retail
    chain's store, run by an organisation, in one town or village. An active outlet in a town
    covers that town's trade network; one in a village covers that village. It may share its
    premises with an e-commerce station (``station``: 与镇村电商服务网点充分融合), and then that
    station's manager may read it."""

    code = models.CharField(
        _("网点编号"), max_length=30, unique=True, help_text=_("例如 YZ-HLT-01，导入时用于匹配")
    )
    name = models.CharField(_("网点名称"), max_length=100)
    kind = models.CharField(_("网点类型"), max_length=20, choices=OutletKind.choices)
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("运营单位"),
        on_delete=models.PROTECT,
        related_name="outlets",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在镇/村"),
        on_delete=models.PROTECT,
        related_name="outlets",
        help_text=_("网点所在的镇/苏木或村/嘎查"),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("融合的电商服务站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outlets",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("开业日期"), null=True, blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=OutletStatus.choices, default=OutletStatus.PLANNED
    )
    digital = models.BooleanField(
        _("已数字化经营"), default=False, help_text=_("已接入线上下单、收银或进销存系统")
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    objects = OutletManager()
    all_objects = OutletQuerySet.as_manager()

    scope_station_path = "station"
    # A station manager reads the outlets of their station; the register is the operator's.
    scope_manager_actions = ()

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("singular", "商贸流通网点")
        verbose_name_plural = _("商贸流通网点")
        base_manager_name = "all_objects"
        # Coverage asks, per region, "is an active outlet here?": the index leads with the region.
        indexes = [models.Index(fields=["region", "status"], name="network_outlet_region_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:detail", args=[self.pk])

    def clean(self):
        from muxiang.network.services import outlet_problems

        super().clean()
        region = self.region if self.region_id else None
        problems = outlet_problems(
            region.level if region else None, self.status, self.opened_on, self.closed_on
        )
        if problems:
            raise ValidationError(problems)
        problem = self.frozen_problem()
        if problem:
            raise ValidationError(problem)

    # What an accepted phase's coverage counted the outlet by: while it served in such a phase,
    # these stay as they were. Its name, address, notes, digital flag, station, status and a
    # closing date after the phase remain editable: they describe its life since.
    COUNTED_BY = ("code", "kind", "operator_id", "region_id")

    def frozen_problem(self, removing: bool = False) -> str | None:
        """Why this outlet may not be written (or, ``removing``, deleted or restored) now, or None.
        Frozen by an accepted phase of any contract: the network is the county's. An opening or
        closing date inside an accepted phase is never set, moved or removed; an outlet that served
        during one keeps what it was counted by and is not deleted."""
        from muxiang.contracts.acceptance import frozen_phases
        from muxiang.contracts.records import frozen_message

        phases = list(frozen_phases())
        if not phases:
            return None
        stored = None
        if self.pk is not None:
            stored = (
                type(self)
                .all_objects.filter(pk=self.pk)
                .values("opened_on", "closed_on", "deleted_at", *self.COUNTED_BY)
                .first()
            )

        def phase_of(day):
            return next((p for p in phases if p.start <= day <= p.end), None)

        for field in ("opened_on", "closed_on"):
            new, old = getattr(self, field), stored[field] if stored else None
            if removing or stored is None or new != old:
                for day in sorted({d for d in (new, old) if d}):
                    phase = phase_of(day)
                    if phase is not None:
                        return frozen_message(day, phase)
        if stored is None or not stored["opened_on"]:
            return None
        served = next(
            (
                p
                for p in phases
                if stored["opened_on"] <= p.end
                and (stored["closed_on"] is None or stored["closed_on"] > p.start)
            ),
            None,
        )
        if served is None:
            return None
        if removing or any(getattr(self, name) != stored[name] for name in self.COUNTED_BY):
            return _(
                "该网点计入了已验收的%(contract)s%(phase)s的覆盖率，不能删除，也不能修改网点编号、类型、"
                "运营单位或所在镇/村；如需更正请由运营方管理员解锁"
            ) % {"contract": served.contract.name, "phase": served}
        return None

    def assert_writable(self) -> None:
        """Called by ``core.services`` before a delete or restore."""
        problem = self.frozen_problem(removing=True)
        if problem:
            raise ValidationError(problem)
