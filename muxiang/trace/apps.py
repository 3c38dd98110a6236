from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "muxiang.trace"
    label = "trace"
    verbose_name = _("溯源体系")

    def ready(self):
        from muxiang.trace import signals

        signals.connect()
