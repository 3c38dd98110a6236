from django.db import models
from django.utils.translation import gettext_lazy as _


class OutletKind(models.TextChoices):
    """Whose network an outlet belongs to (合同 2.2: 邮政、供销、农村传统商贸流通企业)."""

    POST = "post", _("邮政网点")
    SUPPLY_MARKETING = "supply_marketing", _("供销网点")
    RETAIL = "retail", _("商贸流通企业网点")


class OutletStatus(models.TextChoices):
    PLANNED = "planned", _("筹建中")
    ACTIVE = "active", _("运营中")
    SUSPENDED = "suspended", _("暂停")
    CLOSED = "closed", _("已关闭")
