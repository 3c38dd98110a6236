from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "muxiang.contracts"
    label = "contracts"
    verbose_name = _("合同与绩效目标")

    def ready(self):
        # Every app contributes its metrics from <app>/metrics.py: importing registers them.
        for config in apps.get_app_configs():
            if config.name.startswith("muxiang."):
                try:
                    import_module(f"{config.name}.metrics")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.metrics":
                        raise
