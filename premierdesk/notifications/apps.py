"""Notifications: e-mail through a transactional outbox, delivered by the worker."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "premierdesk.notifications"
    label = "notifications"
    verbose_name = "Notifications"
