from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "muxiang.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self):
        # Each app declares the long work it runs in the background in its own ``jobs.py`` and what
        # the worker schedules in its ``tasks.py``; both are read in every process, so that the web
        # process queues the same tasks the worker (``muxiang run_huey``) runs.
        autodiscover_modules("jobs", "tasks")
