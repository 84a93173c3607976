"""Template tags for named contacts: the console home's count of changes waiting for approval."""

from __future__ import annotations

from django import template
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.customers.queries import changes_for

register = template.Library()


@register.simple_tag
def pending_named_contact_changes(user: User) -> int:
    return changes_for(user, timezone.now()).count()
