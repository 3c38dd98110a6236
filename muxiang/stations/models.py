import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet
from muxiang.core.validators import validate_mobile
from muxiang.stations.choices import StationLevel, StationService, StationStatus


def station_in_region(region, through: str = "") -> Q:
    """Stations of ``region`` or of a region below it, as a condition on the station reached through
    ``through`` (``"station__"`` from a station's records): a join, so that a count of dated
    records starts from the records in its date range rather than from every station of the county."""
    return Q(**{f"{through}region": region}) | Q(**{f"{through}region__path__startswith": region.path + "/"})


class StationQuerySet(SoftDeleteQuerySet):
    def active(self):
        return self.filter(status=StationStatus.ACTIVE)

    def open_on(self, day: datetime.date):
        """Stations serving on ``day``: opened by then and not closed before it."""
        return self.filter(opened_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def in_region(self, region):
        return self.filter(station_in_region(region))

    def premium(self):
        return self.filter(is_premium=True)


class StationManager(AliveManager.from_queryset(StationQuerySet)):
    pass


class Station(SoftDeleteModel):
    """A 镇村电商服务站点: the town- or village-level shop where villagers get e-commerce services
    (proxy buying and selling, parcels, payments). Town coverage counts active town stations, village
    coverage active village stations. A 精品站点 (premium station) is one the contract expects to
    reach 72,000 yuan of transactions over the contract period."""

    code = models.CharField(
        _("站点编号"), max_length=30, unique=True, help_text=_("例如 HLT-001，导入时用于匹配")
    )
    name = models.CharField(_("站点名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=StationLevel.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="stations"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    manager = models.ForeignKey(
        "people.Person",
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_stations",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    opened_on = models.DateField(_("开业日期"), null=True, blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=StationStatus.choices, default=StationStatus.PLANNED
    )
    services = models.JSONField(_("服务项目"), default=list, blank=True)
    is_premium = models.BooleanField(_("精品站点"), default=False)

    objects = StationManager()
    all_objects = StationQuerySet.as_manager()

    scope_station_path = "pk"
    scope_manager_actions = ("change",)
    list_choices = {"services": StationService.choices}

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("singular", "站点")
        verbose_name_plural = _("站点")
        base_manager_name = "all_objects"
        # Coverage asks, per region, "is there an active station of this level here?": the index
        # must lead with the region, or the database scans every station for every village.
        indexes = [models.Index(fields=["region", "level", "status"], name="stations_region_level_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stations:detail", args=[self.pk])

    def get_services_display(self) -> str:
        labels = dict(StationService.choices)
        return "、".join(str(labels.get(s, s)) for s in self.services)

    def clean(self):
        errors = {}
        region = self.region if self.region_id else None
        if region is not None and self.level and region.level != self.level:
            errors["region"] = _("%(level)s应服务于%(want)s，而「%(r)s」是%(have)s") % {
                "level": self.get_level_display(),
                "want": {"town": _("镇/苏木"), "village": _("村/嘎查")}[self.level],
                "r": region.name,
                "have": region.get_level_display(),
            }
        if (
            self.status in (StationStatus.ACTIVE, StationStatus.SUSPENDED, StationStatus.CLOSED)
            and not self.opened_on
        ):
            errors["opened_on"] = _("运营中、暂停或已关闭的站点需要填写开业日期")
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("关闭日期不能早于开业日期")
        if self.status == StationStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = _("已关闭的站点需要填写关闭日期")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("经纬度需同时填写")
        unknown = [s for s in self.services if s not in StationService.values]
        if unknown:
            errors["services"] = _("未知的服务项目：%(s)s") % {"s": "、".join(unknown)}
        if errors:
            raise ValidationError(errors)
