from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "muxiang.operations"
    label = "operations"
    verbose_name = _("站点运营")

    def ready(self):
        from muxiang.operations import rollups  # noqa: F401  (registers the stored station-months)
