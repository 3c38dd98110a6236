from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentreConfig(AppConfig):
    name = "muxiang.centre"
    label = "centre"
    verbose_name = _("公共服务中心")
