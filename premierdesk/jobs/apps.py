"""Jobs: background work through django-tasks, and the scheduler for periodic jobs."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "premierdesk.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Every app declares its periodic jobs in its tasks.py; import them all so the
        # scheduler knows the full list.
        autodiscover_modules("tasks")
