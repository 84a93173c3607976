"""Demo: loads a believable world (products, offices, engineers, customers) for trying it out."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "premierdesk.demo"
    label = "demo"
    verbose_name = "Demo data"
