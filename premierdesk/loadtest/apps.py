"""Load test: ``premierdesk loadtest``, Locust against a running Premier Desk."""

from django.apps import AppConfig


class LoadTestConfig(AppConfig):
    name = "premierdesk.loadtest"
    label = "loadtest"
    verbose_name = "Load test"
