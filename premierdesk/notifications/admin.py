"""The outbox in the admin, read-only: what was sent, what is waiting, what failed and why."""

from django.contrib import admin

from premierdesk.audit.admin import ReadOnlyModelAdmin
from premierdesk.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyModelAdmin[OutboxMessage]):
    list_display = ["subject", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "event_key", "subject"]
