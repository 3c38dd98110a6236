from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    COOPERATIVE = "cooperative", _("合作社")
    LARGE_GROWER = "large_grower", _("种养大户")
    FAMILY_FARM = "family_farm", _("家庭农牧场")
    ONLINE_MERCHANT = "online_merchant", _("个体网商")
    POST_OFFICE = "post_office", _("邮政网点")
    SUPPLY_MARKETING = "supply_marketing", _("供销社")
    LOGISTICS = "logistics", _("物流企业")
