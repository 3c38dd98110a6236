from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "muxiang.stations"
    label = "stations"
    verbose_name = _("镇村电商服务站点")
