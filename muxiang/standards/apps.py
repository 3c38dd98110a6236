from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "muxiang.standards"
    label = "standards"
    verbose_name = _("网销流通标准")
