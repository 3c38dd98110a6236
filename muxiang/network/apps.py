from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "muxiang.network"
    label = "network"
    verbose_name = _("商贸流通网络")
