from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "muxiang.training"
    label = "training"
    verbose_name = _("电商培训")

    def ready(self):
        from muxiang.training import rollups  # noqa: F401  (registers the stored training figures)
