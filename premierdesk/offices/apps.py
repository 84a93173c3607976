"""Offices: the five support offices and their engineers (follow the sun builds on these)."""

from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "premierdesk.offices"
    label = "offices"
    verbose_name = "Offices and engineers"
