from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "muxiang.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self):
        from django.apps import apps

        from muxiang.core import rollups
        from muxiang.core.models import EvidenceMarked

        for model in apps.get_models():
            if (
                issubclass(model, EvidenceMarked)
                and f"evidence_mask:{model._meta.label}" not in rollups.ROLLUPS
            ):
                rollups.register(rollups.evidence_mark_rollup(model))
