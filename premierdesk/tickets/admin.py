"""Tickets in the admin: read-only (they change through the ticket pages and API, which apply
the rules); the lifecycle policy is edited here, audited."""

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.tickets.models import Ticket, TicketPolicy


@admin.register(Ticket)
class TicketAdmin(ReadOnlyModelAdmin[Ticket]):
    list_display = ["__str__", "organization", "level", "status", "owner", "opened_at"]
    list_filter = ["status", "level", "product"]
    search_fields = ["summary", "organization__name"]


@admin.register(TicketPolicy)
class TicketPolicyAdmin(AuditedModelAdmin[TicketPolicy]):
    list_display = ["__str__", "inactive_after_days", "close_inactive_after_days"]
