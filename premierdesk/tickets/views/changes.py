"""The changes posted from the ticket page. Each view parses its form and calls one action;
refused, the page comes back with the form as typed and the action's sentence beside its
field, with the refusal's status; done, see ``page.done`` (both: ``page.change_ticket``)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from premierdesk.accounts.models import User
from premierdesk.catalog.models import Level
from premierdesk.lib.errors import ActionError, InvalidInput
from premierdesk.pages.forms import show_refusal
from premierdesk.tickets import actions, hooks
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
    request_key,
)
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.rules import require_attach
from premierdesk.tickets.uploads import (
    chunks_of,
    read_upload,
    require_declared_upload_size,
    upload_refusal,
)
from premierdesk.tickets.views.common import visible_ticket
from premierdesk.tickets.views.page import change_ticket, done, render_ticket

Data = dict[str, Any]


@login_required
@require_POST
def comment(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        added = actions.add_comment(
            user,
            ticket.key,
            body=data["body"],
            internal=data["internal"],
            request_key=request_key(data),
        )
        return "Comment added." if added.is_public else "Internal note added (staff only)."

    return change_ticket(
        request, key, "comment_form", lambda _: CommentForm(request.POST), act, "#conversation"
    )


@login_required
@require_POST
def edit_comment(request: HttpRequest, key: str, comment_id: int) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        actions.edit_comment(user, ticket.key, comment_id, body=data["body"])
        return "Comment edited; the earlier text is kept in its history."

    return change_ticket(
        request,
        key,
        f"edit-{comment_id}",
        lambda _: EditCommentForm(request.POST, comment_id=comment_id),
        act,
        f"#comment-{comment_id}",
    )


@login_required
@require_POST
def add_participant(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        added = actions.add_participant(user, ticket.key, **data)
        invited = "" if added.person.has_usable_password() else " They are invited by e-mail."
        return f"{added.person.email} now takes part in {ticket.key}.{invited}"

    return change_ticket(
        request,
        key,
        "participant_form",
        lambda _: ParticipantForm(request.POST),
        act,
        "#participants",
    )


@login_required
@require_POST
def transition(request: HttpRequest, key: str) -> HttpResponse:
    """A status change; closing (final) is asked again first, with a plain two-step form
    (no script): "Close PS-123 for good?" with Confirm and Cancel."""
    asked = TransitionForm(request.POST)
    closing = asked.is_valid() and asked.cleaned_data["to"] == Status.CLOSED
    if closing and not asked.cleaned_data["confirmed"]:
        ticket = visible_ticket(request, key)[1]  # a ticket one may not see: 404
        return render_ticket(request, ticket, confirm_close=asked)

    def act(user: User, ticket: Ticket, data: Data) -> str:
        moved = actions.transition(user, ticket.key, to=data["to"], reason=data["reason"])
        return f"{moved.key} is now {Status(moved.status).label.lower()}."

    return change_ticket(
        request, key, "transition_form", lambda _: TransitionForm(request.POST), act
    )


@login_required
@require_POST
def change_level(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        changed = actions.change_level(user, ticket.key, **data)
        return f"{changed.key} is now {Level(changed.level).label}."

    return change_ticket(request, key, "level_form", lambda _: LevelForm(request.POST), act)


@login_required
@require_POST
def assign_owner(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        owned = actions.assign_owner(
            user, ticket.key, owner_email=data["owner"], reason=data["reason"]
        )
        office = f" ({owned.office.name})" if owned.office else ""
        owner = owned.owner.full_name if owned.owner else ""
        return f"{owner}{office} now owns {owned.key}."

    return change_ticket(
        request,
        key,
        "owner_form",
        lambda _: OwnerForm(request.POST, engineers=hooks.engineer_choices()),
        act,
    )


@login_required
@require_POST
def follow_the_sun(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        marked = actions.set_follow_the_sun(user, ticket.key, **data)
        if marked.follow_the_sun:
            return f"{marked.key} follows the sun: handed over at each office's end of day."
        return f"{marked.key} no longer follows the sun: it stays with its owner overnight."

    return change_ticket(
        request,
        key,
        "follow_the_sun_form",
        lambda _: FollowTheSunForm(request.POST),
        act,
        "#follow-the-sun",
    )


@login_required
@require_POST
def log_call(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        actions.log_call(user, ticket.key, actions.CallInput(**data))
        return "Call logged."

    return change_ticket(
        request,
        key,
        "call_form",
        lambda user: CallForm(request.POST, zone=ZoneInfo(user.time_zone)),
        act,
        "#calls",
    )


@csrf_exempt  # checked by read_upload, after the ticket and the declared size (see uploads)
@login_required
@require_POST
def attach(request: HttpRequest, key: str) -> HttpResponseBase:
    # Who may attach to which ticket, and the declared size, are checked before a byte of the
    # upload is read: nothing is received for a ticket one may not see or attach to.
    user, ticket = visible_ticket(request, key)
    try:
        require_attach(user, ticket)
        require_declared_upload_size(request)
    except ActionError as refusal:
        # The form as if empty: what was posted is not read.
        return _attach_refused(request, ticket, AttachmentForm({}, {}), refusal)
    csrf_refusal = read_upload(request)
    if csrf_refusal is not None:
        return csrf_refusal
    oversized = upload_refusal(request)
    form = AttachmentForm(request.POST, request.FILES)
    form.is_valid()
    uploaded = form.cleaned_data.get("file")
    try:
        if oversized is not None:
            raise oversized
        if uploaded is None:
            raise InvalidInput.on_field("file", "Choose the file to attach.")
        added = actions.attach(
            user,
            ticket.key,
            file_name=uploaded.name or "",
            chunks=chunks_of(uploaded),
            internal=form.cleaned_data.get("internal", False),
            request_key=request_key(form.cleaned_data),
        )
    except ActionError as refusal:
        return _attach_refused(request, ticket, form, refusal)
    return done(request, ticket.key, f"{added.file_name} attached.", "#attachments")


def _attach_refused(
    request: HttpRequest, ticket: Ticket, form: AttachmentForm, refusal: ActionError
) -> HttpResponse:
    form.is_valid()
    show_refusal(form, refusal)
    failed = {"attachment_form": form}
    return render_ticket(request, ticket, status=refusal.status, failed=failed)
