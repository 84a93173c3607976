"""Web: the shell on top of every area: navigation per role, the portal and console home pages,
the URL map's landing pages, and the `serve` / `up` commands."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "premierdesk.web"
    label = "web"
    verbose_name = "Web pages"
