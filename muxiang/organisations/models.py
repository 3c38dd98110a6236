from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import SoftDeleteModel
from muxiang.core.validators import validate_credit_code, validate_mobile
from muxiang.organisations.choices import OrganisationKind


class Organisation(SoftDeleteModel):
    """A business or body the programme works with: enterprises, cooperatives, large growers and
    family farms, individual online merchants, post offices, supply-and-marketing cooperatives and
    logistics firms. Identified by its unified social credit code (统一社会信用代码, GB 32100)."""

    name = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("对接站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    main_products = models.CharField(_("主营产品"), max_length=200, blank=True)

    scope_station_path = "station"
    scope_manager_actions = ("add", "change")

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("singular", "组织")
        verbose_name_plural = _("组织")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.credit_code = (self.credit_code or "").strip().upper() or None
        super().save(*args, **kwargs)
