import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet
from muxiang.core.validators import validate_division_code
from muxiang.regions.choices import PARENT_LEVEL, RegionLevel


class RegionQuerySet(SoftDeleteQuerySet):
    def towns(self):
        return self.filter(level=RegionLevel.TOWN)

    def villages(self):
        return self.filter(level=RegionLevel.VILLAGE)

    def existing_on(self, day: datetime.date):
        """Units that existed on ``day``: opened by then (or date unknown) and not yet closed."""
        return self.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )

    def within(self, region):
        """``region`` and every unit below it, found by the stored path rather than a recursive walk."""
        return self.filter(Q(pk=region.pk) | Q(path__startswith=region.path + "/"))


class RegionManager(AliveManager.from_queryset(RegionQuerySet)):
    pass


class Region(SoftDeleteModel):
    """An administrative unit: the county (旗/县), a town or sumu (镇/苏木), or a village or gacha
    (村/嘎查). Villages carry the 出列村 flag: villages lifted out of the poverty list, of which the
    contract wants at least 20% to have a station. Opening and closing dates let coverage and
    expected reports count a unit only while it existed (towns merge, villages are re-drawn)."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "乌拉特中旗/海流图镇/巴音村": unique, the natural key of the ledger and the tree's index.
    path = models.CharField(_("全称"), max_length=400, unique=True, editable=False)
    code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_division_code],
        help_text=_("6 位（县）、9 位（乡镇）或 12 位（村）统计用区划代码，已知时填写"),
    )
    exited_poverty = models.BooleanField(_("出列村"), default=False, help_text=_("仅村/嘎查适用"))
    opened_on = models.DateField(_("设立日期"), null=True, blank=True)
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("虚构名称（示例数据）"), default=False, editable=False)

    objects = RegionManager()
    all_objects = RegionQuerySet.as_manager()

    # Reference data: every signed-in role reads the tree; only the operator changes it.
    scope_public = True

    class Meta:
        ordering = ["path"]
        verbose_name = pgettext_lazy("singular", "行政区划")
        verbose_name_plural = _("行政区划")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:detail", args=[self.pk])

    def compute_path(self) -> str:
        return f"{self.parent.path}/{self.name}" if self.parent_id else self.name

    def clean(self):
        errors = {}
        expected_parent = PARENT_LEVEL.get(self.level)
        if expected_parent and (self.parent is None or self.parent.level != expected_parent):
            errors["parent"] = _("%(level)s的上级应为%(parent)s") % {
                "level": self.get_level_display(),
                "parent": RegionLevel(expected_parent).label,
            }
        if self.level == RegionLevel.COUNTY and self.parent_id:
            errors["parent"] = _("旗/县不应有上级")
        if self.exited_poverty and self.level != RegionLevel.VILLAGE:
            errors["exited_poverty"] = _("只有村/嘎查可以标记为出列村")
        if self.opened_on and self.closed_on and self.closed_on <= self.opened_on:
            errors["closed_on"] = _("撤销日期应晚于设立日期")
        if self.name and "/" in self.name:
            errors["name"] = _("名称中不能含有「/」")
        if self.parent_id and not errors.get("name"):
            clash = Region.all_objects.filter(path=self.compute_path()).exclude(pk=self.pk)
            if clash.exists():
                errors["name"] = _("同一上级下已有同名区划「%(n)s」") % {"n": self.name}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A renamed town renames the path of every village below it.
            for child in Region.all_objects.filter(parent=self):
                child.save()
