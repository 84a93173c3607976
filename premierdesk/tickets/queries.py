"""Reading tickets: the filtered, sorted lists (portal, console queue, API) and one ticket's
conversation, attachments, calls and timeline as a given person may see them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from django.db.models import F, QuerySet

from premierdesk.accounts.models import User
from premierdesk.lib.errors import NotFound
from premierdesk.tickets import hooks
from premierdesk.tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Call,
    Comment,
    Participant,
    Status,
    Ticket,
    TimelineEvent,
    Visibility,
)
from premierdesk.tickets.rules import may_read_internal, readable_ticket, visible_tickets


@dataclass(frozen=True)
class TicketFilter:
    organization: str | None = None  # slug
    status: list[str] | None = None
    level: list[str] | None = None
    product: str | None = None  # slug
    owner: str | None = None  # e-mail, or "none" for unassigned
    office: str | None = None  # slug


class TicketList:
    """A list of tickets as a pager reads it: a page is one query of its rows, ``count()``
    another of their number, each written so that its index serves it."""

    def __init__(self, rows: QuerySet[Ticket], counted: QuerySet[Ticket]) -> None:
        self.rows, self.counted = rows, counted

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Ticket]:
        return iter(self.rows)

    @overload
    def __getitem__(self, index: int) -> Ticket: ...
    @overload
    def __getitem__(self, index: slice) -> list[Ticket]: ...
    def __getitem__(self, index: int | slice) -> Ticket | list[Ticket]:
        if isinstance(index, slice):
            return list(self.rows[index])
        return self.rows[index]


def ticket_list(user: User, at: datetime, filters: TicketFilter) -> TicketList:
    """The tickets ``user`` sees, filtered, soonest SLA due time first (tickets with no running
    clock after them, oldest first), with everything a list row shows in the page's query.

    A status filter is written two ways. The count says ``status IN (the chosen)``, which the
    status index answers. The page of the open queue reads ``in_open_queue``, whose index
    holds the open tickets in the page's order; any other status filter says ``NOT status IN
    (the others)``, the same tickets, which no index can answer, so both planners walk the
    due-time index in the page's order and stop after the page: at 1,000,000 tickets the open
    queue's first page reads 50 rows instead of joining and sorting every open ticket
    (docs/performance.md#the-ticket-queue)."""
    tickets = _filtered(visible_tickets(user, at), filters)
    rows = tickets
    if filters.status:
        chosen = set(filters.status)
        if chosen == OPEN_STATUSES:  # the open queue, read off its own index
            rows = rows.filter(in_open_queue=True)
        else:
            rows = rows.exclude(status__in=[s for s in Status.values if s not in chosen])
        tickets = tickets.filter(status__in=sorted(chosen))
    rows = (
        rows.select_related("organization", "product", "owner", "office", "license", "opened_by")
        .annotate(escalated=hooks.escalated())  # the badge, in the list's own query
        .order_by(F("sla_due_at").asc(nulls_last=True), "opened_at", "id")
    )
    return TicketList(rows, tickets)


def _filtered(tickets: QuerySet[Ticket], filters: TicketFilter) -> QuerySet[Ticket]:
    """Every filter but the status (``ticket_list`` writes that one itself)."""
    if filters.organization:
        tickets = tickets.filter(organization__slug=filters.organization)
    if filters.level:
        tickets = tickets.filter(level__in=filters.level)
    if filters.product:
        tickets = tickets.filter(product__slug=filters.product)
    if filters.owner == "none":
        tickets = tickets.filter(owner__isnull=True)
    elif filters.owner:
        tickets = tickets.filter(owner__email=filters.owner.lower())
    if filters.office:
        tickets = tickets.filter(office__slug=filters.office)
    return tickets


def _seen_by(user: User) -> list[str]:
    """The visibilities ``user`` may read: internal material is for vendor staff only."""
    if may_read_internal(user):
        return [Visibility.PUBLIC, Visibility.INTERNAL]
    return [Visibility.PUBLIC]


def comments(user: User, ticket: Ticket) -> QuerySet[Comment]:
    return (
        ticket.comments.filter(visibility__in=_seen_by(user))
        .select_related("author")
        .prefetch_related("revisions")
    )


def attachments(user: User, ticket: Ticket) -> QuerySet[Attachment]:
    return ticket.attachments.filter(visibility__in=_seen_by(user)).select_related("uploaded_by")


def calls(ticket: Ticket) -> QuerySet[Call]:
    return ticket.calls.select_related("logged_by")


def participants(ticket: Ticket) -> QuerySet[Participant]:
    return ticket.participants.select_related("person", "added_by")


def timeline(user: User, ticket: Ticket) -> QuerySet[TimelineEvent]:
    return ticket.events.filter(visibility__in=_seen_by(user)).select_related("actor")


def attachment_for_download(user: User, key: str, attachment_id: int, at: datetime) -> Attachment:
    """An attachment ``user`` may download: authorised exactly like its ticket, and internal
    files for staff only. Anything else answers like a file that does not exist."""
    ticket = readable_ticket(user, key, at)
    found = attachments(user, ticket).filter(pk=attachment_id).first()
    if found is None:
        raise NotFound(f"{ticket.key} has no attachment {attachment_id}.")
    return found
