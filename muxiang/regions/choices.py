from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    COUNTY = "county", _("旗/县")
    TOWN = "town", _("镇/苏木")
    VILLAGE = "village", _("村/嘎查")


PARENT_LEVEL = {RegionLevel.TOWN: RegionLevel.COUNTY, RegionLevel.VILLAGE: RegionLevel.TOWN}
