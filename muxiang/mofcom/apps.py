from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MofcomConfig(AppConfig):
    name = "muxiang.mofcom"
    label = "mofcom"
    verbose_name = _("商务部平台报送")
