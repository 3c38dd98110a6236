from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import SoftDeleteModel
from muxiang.supply.validators import validate_gtin


class Product(SoftDeleteModel):
    """A product (SKU) of the county's catalogue: what is purchased, stocked and delivered for the
    small businesses (2.1), what the sales ledger sells (2.5), what the brands' product series
    group (2.3) and what trace codes are issued for (2.4). Identified by its own code; the GTIN
    (商品条码) where the producer has one, which the trace system's GS1 Digital Link answers."""

    code = models.CharField(
        _("商品编号"), max_length=40, unique=True, help_text=_("例如 SP-0001，导入时用于匹配")
    )
    name = models.CharField(_("商品名称"), max_length=100)
    category = models.CharField(
        _("品类"),
        max_length=50,
        blank=True,
        help_text=_("例如 肉羊、奶制品、向日葵，农村产品数据库按品类汇总"),
    )
    specification = models.CharField(_("规格"), max_length=100, blank=True, help_text=_("例如 500g×2 袋"))
    unit = models.CharField(_("计量单位"), max_length=10, default="件", help_text=_("例如 件、箱、斤、袋"))
    gtin = models.CharField(
        _("商品条码（GTIN）"), max_length=14, unique=True, null=True, blank=True, validators=[validate_gtin]
    )
    producer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("生产企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    is_agricultural = models.BooleanField(_("农产品"), default=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("singular", "商品")
        verbose_name_plural = _("商品")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.name}（{self.specification}）" if self.specification else self.name

    def get_absolute_url(self):
        return reverse("supply:product-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.gtin = (self.gtin or "").strip() or None
        super().save(*args, **kwargs)
