"""Audit: the append-only trail of every state change and the account that made it."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "premierdesk.audit"
    label = "audit"
    verbose_name = "Audit trail"
