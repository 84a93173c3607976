"""Where the areas above tickets (offices, sla, escalations, feedback) take part in a ticket's
changes and pages without tickets importing them (``lib.hooks``). Each is connected in the
listening app's ``AppConfig.ready()``; docs/architecture.md lists them all.

Sent by ``tickets.actions``, inside the change's transaction:

- ``ticket_changed(ticket, now)``: after every change but the opening, once the ticket is
  saved. sla re-derives the ticket's clocks (``sla.actions.refresh_clocks``).
- ``ticket_closed(ticket, now)``: a ticket was closed, by anyone or by the idle policy.
  feedback invites the opener to the survey (``feedback.actions.invite``).

Asked by tickets, each answered by one area:

- ``route_new_ticket(ticket, now)``: who a ticket being opened goes to (offices,
  docs/product/follow-the-sun.md); asked before its row is written, so the ticket has no id.
- ``start_clocks(ticket, now)``: the clocks of a ticket being opened (sla), derived before its
  row is written, so the row carries its due time; ``store()`` them once it is saved.
- ``engineer_choices()`` / ``office_choices()``: the engineers and offices the queue's filters
  and the owner form offer (offices).
- ``clock_panel(ticket, internal)``: the ticket page's SLA panel (sla).
- ``more_help_panel(user, ticket, failed)``: the ticket page's "More help" panel
  (escalations).
- ``escalated()`` / ``is_escalated(ticket)``: the escalation badge, in a list's own query and
  for one ticket (escalations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django import forms
from django.db.models import Exists, Model

from premierdesk.accounts.models import User
from premierdesk.lib.hooks import Hook, Question
from premierdesk.tickets.models import Ticket

Choices = list[tuple[str, str]]  # (value, label)


@dataclass(frozen=True)
class Assignment:
    """Who a new ticket goes to: the engineer's account and the office that now owns the
    ticket (None: no office), the engineer's own office by name, and why them. ``office`` is
    that office's row when the answer has it (a model of an area above, so untyped here)."""

    owner: User
    office_id: int | None
    owner_office: str
    reason: str
    office: Model | None = None


class NewClocks(Protocol):
    """A new ticket's clocks: the due time that orders the queue, and how to store them."""

    @property
    def due_at(self) -> datetime | None: ...

    def store(self) -> None: ...


class PagePart(Protocol):
    """A panel of the ticket page drawn by another area, with the forms it shows."""

    @property
    def shown(self) -> set[str]:
        """The names of its forms on the page, so a refusal is shown beside its form only."""
        ...


ticket_changed: Hook[[Ticket, datetime]] = Hook("tickets.ticket_changed")
ticket_closed: Hook[[Ticket, datetime]] = Hook("tickets.ticket_closed")

route_new_ticket: Question[[Ticket, datetime], Assignment | None] = Question(
    "tickets.route_new_ticket"
)
start_clocks: Question[[Ticket, datetime], NewClocks] = Question("tickets.start_clocks")
engineer_choices: Question[[], Choices] = Question("tickets.engineer_choices")
office_choices: Question[[], Choices] = Question("tickets.office_choices")
clock_panel: Question[[Ticket, bool], object] = Question("tickets.clock_panel")
more_help_panel: Question[[User, Ticket, Mapping[str, forms.Form]], PagePart] = Question(
    "tickets.more_help_panel"
)
escalated: Question[[], Exists] = Question("tickets.escalated")
is_escalated: Question[[Ticket], bool] = Question("tickets.is_escalated")
