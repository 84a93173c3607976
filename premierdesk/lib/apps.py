"""The shared library as an app only so that its lookups are registered at start-up."""

from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "premierdesk.lib"
    label = "lib"
    verbose_name = "Library"

    def ready(self) -> None:
        from premierdesk.lib import lookups  # noqa: F401 - registers ``__among``
