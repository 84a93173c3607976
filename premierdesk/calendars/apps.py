"""Calendars: the coverage calendars that the SLA, offices and services read."""

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "premierdesk.calendars"
    label = "calendars"
    verbose_name = "Calendars"
