"""Template tags for tickets: whether the console home offers the ticket queue, and whether a
ticket's internal marks (follow the sun) are shown to the viewer."""

from __future__ import annotations

from django import template

from premierdesk.accounts.models import User
from premierdesk.tickets.rules import is_ticket_staff, may_read_internal

register = template.Library()


@register.simple_tag
def works_tickets(user: User) -> bool:
    return is_ticket_staff(user)


@register.simple_tag
def reads_internal(user: User) -> bool:
    return isinstance(user, User) and may_read_internal(user)
