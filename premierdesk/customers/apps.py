"""Customers: organizations holding Premier licenses, and (later) their contacts."""

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "premierdesk.customers"
    label = "customers"
    verbose_name = "Customers"
