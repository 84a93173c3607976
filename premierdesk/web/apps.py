"""Web: the page layout, navigation per role, the portal and console home pages."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "premierdesk.web"
    label = "web"
    verbose_name = "Web pages"
