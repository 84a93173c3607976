"""The ticket page, one for customers and staff. What each sees comes from the queries, which
leave internal material out for customers; which forms each gets follows the rules (in charge,
staff). With htmx, the forms swap the page's ticket section instead of reloading."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.catalog.models import Level
from premierdesk.escalations.panel import ticket_panel as escalation_panel
from premierdesk.sla.display import ticket_panel
from premierdesk.tickets import queries
from premierdesk.tickets.forms import (
    AttachmentForm,
    CallForm,
    CommentForm,
    EditCommentForm,
    FollowTheSunForm,
    LevelForm,
    OwnerForm,
    ParticipantForm,
    TransitionForm,
)
from premierdesk.tickets.models import Call, Comment, Status, Ticket
from premierdesk.tickets.rules import (
    Side,
    allowed_moves,
    in_charge,
    is_ticket_staff,
    may_attach,
    may_change_tickets,
    may_read_internal,
)
from premierdesk.tickets.storage import human_size
from premierdesk.tickets.views.common import engineer_choices, is_htmx, visible_ticket
from premierdesk.tickets.views.timeline import event_row


@dataclass(frozen=True)
class CommentRow:
    comment: Comment
    edit_form: EditCommentForm | None  # only on the viewer's own comments
    editing: bool  # a refused edit: shown open, with its error


@dataclass(frozen=True)
class CallRow:
    call: Call
    notes: str | None  # None for customers: the template never has the notes to show


@dataclass(frozen=True)
class Move:
    to: str
    label: str


def move_label(current: Status, target: Status) -> str:
    if target == Status.WAITING_FOR_SUPPORT and current == Status.RESOLVED:
        return "Reopen"
    if target in (Status.RESOLVED, Status.CLOSED):
        return "Resolve" if target == Status.RESOLVED else "Close"
    return f"Set to {target.label.lower()}"


def _moves(ticket: Ticket, staff: bool, charge: bool) -> list[Move]:
    """The status buttons: staff get all of theirs; on the customer's side, only those in
    charge (participants change nothing)."""
    if not charge:
        return []
    current = Status(ticket.status)
    side = Side.STAFF if staff else Side.CUSTOMER
    return [Move(to, move_label(current, to)) for to in allowed_moves(current, side)]


def _comment_rows(user: User, ticket: Ticket, failed: Mapping[str, forms.Form]) -> list[CommentRow]:
    rows = []
    for comment in queries.comments(user, ticket):
        refused = failed.get(f"edit-{comment.pk}")
        form = None
        if comment.author_id == user.pk:
            form = refused if isinstance(refused, EditCommentForm) else None
            form = form or EditCommentForm(initial={"body": comment.body}, comment_id=comment.pk)
        rows.append(CommentRow(comment, form, refused is not None))
    return rows


def _forms(
    user: User, ticket: Ticket, charge: bool, moves: list[Move], failed: Mapping[str, forms.Form]
) -> dict[str, forms.Form | None]:
    """A form for each change the viewer may make here (the refused one as typed, the others
    fresh); None for the changes they may not make."""
    staff = is_ticket_staff(user)
    open_ = ticket.status != Status.CLOSED and may_change_tickets(user)
    fresh: dict[str, Callable[[], forms.Form] | None] = {
        "comment_form": CommentForm if open_ else None,
        "attachment_form": AttachmentForm if may_attach(user, ticket) else None,
        "participant_form": ParticipantForm if charge else None,
        "transition_form": TransitionForm if moves else None,
        "level_form": (lambda: LevelForm(initial={"level": ticket.level}))
        if charge and ticket.is_open
        else None,
        "owner_form": (lambda: OwnerForm(engineers=engineer_choices())) if staff else None,
        # Only an open L2 ticket has the choice: L1 always follows the sun, L3/L4 never do.
        "follow_the_sun_form": FollowTheSunForm
        if staff and ticket.is_open and ticket.level == Level.L2
        else None,
        "call_form": (lambda: CallForm(zone=ZoneInfo(user.time_zone))) if staff else None,
    }
    return {name: make and (failed.get(name) or make()) for name, make in fresh.items()}


def _refusals_elsewhere(failed: Mapping[str, forms.Form], shown: set[str]) -> list[str]:
    """The errors of a refused form the page does not offer this viewer (a participant who
    posted a level change): they are shown above the ticket instead."""
    return [
        str(error)
        for name, form in failed.items()
        if name not in shown
        for errors in form.errors.values()
        for error in errors
    ]


def render_ticket(
    request: HttpRequest,
    ticket: Ticket,
    *,
    status: int = 200,
    notice: str = "",
    failed: Mapping[str, forms.Form] | None = None,
    confirm_close: forms.Form | None = None,
) -> HttpResponse:
    """The ticket page (htmx: its ticket section). ``failed``: a refused form by its name
    (``comment_form``, ``edit-<comment id>``, …), shown with what was typed.
    ``confirm_close``: the posted close, to be confirmed before it is made."""
    user, failed = current_user(request), failed or {}
    staff, internal = is_ticket_staff(user), may_read_internal(user)
    charge = in_charge(user, ticket, timezone.now())
    moves = _moves(ticket, staff, charge)
    comments = _comment_rows(user, ticket, failed)
    page_forms = _forms(user, ticket, charge, moves, failed)
    shown = {name for name, form in page_forms.items() if form}
    shown |= {f"edit-{row.comment.pk}" for row in comments if row.edit_form}
    more_help = escalation_panel(user, ticket, failed)
    shown |= more_help.shown
    context = {
        "ticket": ticket,
        "staff": staff,
        "levels": Level,
        "notice": notice,
        "refusals": _refusals_elsewhere(failed, shown),
        "comments": comments,
        "attachments": list(queries.attachments(user, ticket)),
        "calls": [CallRow(c, c.notes if internal else None) for c in queries.calls(ticket)],
        "internal": internal,
        "participants": list(queries.participants(ticket)),
        "events": [event_row(e) for e in queries.timeline(user, ticket)],
        "moves": moves,
        "confirm_close": confirm_close if Status.CLOSED in [m.to for m in moves] else None,
        "sla": ticket_panel(ticket, internal),
        "escalation_panel": more_help,
        "attachment_limit": human_size(settings.ATTACHMENT_MAX_BYTES),
        **page_forms,
    }
    template = "tickets/_ticket.html" if is_htmx(request) else "tickets/ticket.html"
    return render(request, template, context, status=status)


def done(request: HttpRequest, key: str, notice: str, anchor: str = "") -> HttpResponse:
    """After a change: htmx gets the fresh section; a plain POST is redirected (the notice
    travels as a message), so reloading the page never repeats the change."""
    if is_htmx(request):
        return render_ticket(request, visible_ticket(request, key)[1], notice=notice)
    messages.success(request, notice)
    return redirect(reverse("tickets:ticket", args=[key]) + anchor)


@login_required
def ticket_page(request: HttpRequest, key: str) -> HttpResponse:
    ticket = visible_ticket(request, key)[1]
    if key != ticket.key:
        return redirect("tickets:ticket", key=ticket.key)
    return render_ticket(request, ticket)
