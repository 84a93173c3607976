"""Tickets: opening, participants, conversation, attachments, calls and the lifecycle."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "premierdesk.tickets"
    label = "tickets"
    verbose_name = "Tickets"
