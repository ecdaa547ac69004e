from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import pgettext_lazy


class Config(AppConfig):
    name = "zhaoshang.jobs"
    label = "jobs"
    verbose_name = pgettext_lazy("background work", "jobs")

    def ready(self) -> None:
        # Each app declares its kinds of job in its own ``jobs.py`` (as it declares its admin in
        # ``admin.py``): the queue names them, it never imports the apps above it.
        autodiscover_modules("jobs")
        from zhaoshang.core import health
        from zhaoshang.jobs.health import check_jobs

        health.register("jobs", check_jobs)
