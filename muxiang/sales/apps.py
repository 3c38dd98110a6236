from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "muxiang.sales"
    label = "sales"
    verbose_name = _("农产品销售")
