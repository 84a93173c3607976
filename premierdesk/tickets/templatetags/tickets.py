"""Template tags for tickets: whether the console home offers the ticket queue."""

from __future__ import annotations

from django import template

from premierdesk.accounts.models import User
from premierdesk.tickets.rules import is_ticket_staff

register = template.Library()


@register.simple_tag
def works_tickets(user: User) -> bool:
    return is_ticket_staff(user)
