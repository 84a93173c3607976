"""API: tickets and everything on them. Endpoints parse, call ``tickets.actions`` (changes) or
``tickets.queries`` (reads), and render; internal material is filtered out in the queries, so
no endpoint can hand it to a customer."""

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.params import functions as params
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.catalog.models import Level
from premierdesk.lib.errors import InvalidInput, NotFound
from premierdesk.restapi.errors import Problem
from premierdesk.restapi.pagination import Mapped, PagePagination
from premierdesk.restapi.schemas import REFUSALS, Instant, PersonRef
from premierdesk.tickets import actions, hooks, queries
from premierdesk.tickets.downloads import (
    attachment_response,
    declared_length,
    request_body_chunks,
)
from premierdesk.tickets.idempotency import HEADER as IDEMPOTENCY_HEADER
from premierdesk.tickets.idempotency import RequestKey
from premierdesk.tickets.models import (
    Attachment,
    Call,
    Comment,
    Draft,
    Participant,
    Ticket,
    TimelineEvent,
)
from premierdesk.tickets.models import (
    Status as TicketStatus,
)
from premierdesk.tickets.rules import (
    may_read_internal,
    offered_moves,
    readable_ticket,
)

router = Router(tags=["tickets"])


class TicketOut(Schema):
    key: str
    summary: str
    description: str
    organization: str = Field(description="The organization's slug.")
    sen: str
    product: str = Field(description="The product's slug.")
    product_version: str
    environment: str
    level: str
    status: str
    opened_by: PersonRef
    opened_at: datetime
    status_changed_at: datetime
    owner: PersonRef | None
    office: str | None = Field(description="The owner's office (slug).")
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    follow_the_sun: bool | None = Field(
        description="Staff only (null otherwise): an L2 ticket marked to be handed over at "
        "each office's end of day. L1 tickets always are, and stay false here."
    )
    escalated: bool = Field(description="An escalation manager owns an open escalation of it.")


def ticket_out(ticket: Ticket, viewer: User, *, escalated: bool | None = None) -> TicketOut:
    """The ticket as ``viewer`` reads it; ``escalated`` when the caller knows it (a ticket it
    just opened has no escalation), else asked. Built without validation: the answer's own
    validation checks it once (a page of 50 was validated twice)."""
    return TicketOut.model_construct(
        key=ticket.key,
        summary=ticket.summary,
        description=ticket.description,
        organization=ticket.organization.slug,
        sen=ticket.license.sen,
        product=ticket.product.slug,
        product_version=ticket.product_version,
        environment=ticket.environment,
        level=ticket.level,
        status=ticket.status,
        opened_by=PersonRef.of(ticket.opened_by),
        opened_at=ticket.opened_at,
        status_changed_at=ticket.status_changed_at,
        owner=PersonRef.of(ticket.owner),
        office=ticket.office.slug if ticket.office else None,
        updated_at=ticket.updated_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        # The mark is how staff organise the work, not part of the customer's conversation.
        follow_the_sun=ticket.follow_the_sun if may_read_internal(viewer) else None,
        escalated=hooks.is_escalated(ticket) if escalated is None else escalated,
    )


class TicketIn(Schema):
    sen: str = Field(max_length=20, description="The license the ticket is opened under.")
    product: str = Field(max_length=64, description="Product slug, e.g. jira-software.")
    product_version: str = Field(max_length=50)
    environment: str = Field(description="production, staging, qa or other.")
    level: str = Field(description="L1 (critical, production only) to L4 (low).")
    summary: str = Field(max_length=250)
    description: str = Field(max_length=100_000)


class TicketQuery(Schema):
    organization: str | None = Field(None, description="Organization slug.")
    status: list[TicketStatus] | None = Field(None, description="One or more statuses.")
    level: list[Level] | None = Field(None, description="One or more levels.")
    product: str | None = Field(None, description="Product slug.")
    owner: str | None = Field(None, description="Owner e-mail, or 'none' for unassigned.")
    office: str | None = Field(None, description="Office slug.")


class CommentOut(Schema):
    id: int
    author: PersonRef
    visibility: str
    body: str
    created_at: datetime
    edited_at: datetime | None
    revisions: int = Field(description="How many earlier versions the comment has.")


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        author=PersonRef.of(comment.author),
        visibility=comment.visibility,
        body=comment.body,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        revisions=len(comment.revisions.all()),
    )


class CommentIn(Schema):
    body: str = Field(max_length=100_000)
    internal: bool = Field(False, description="Staff only: never shown to the customer.")


class CommentEdit(Schema):
    body: str = Field(max_length=100_000)


class ParticipantOut(Schema):
    person: PersonRef
    added_by: PersonRef
    added_at: datetime


def participant_out(participant: Participant) -> ParticipantOut:
    return ParticipantOut(
        person=PersonRef.of(participant.person),
        added_by=PersonRef.of(participant.added_by),
        added_at=participant.added_at,
    )


class ParticipantIn(Schema):
    email: str = Field(max_length=254)
    full_name: str = Field("", max_length=150, description="Needed for someone without account.")


class CallOut(Schema):
    id: int
    direction: str
    phone_number: str
    spoke_with: str
    started_at: datetime
    duration_minutes: int
    logged_by: PersonRef
    notes: str | None = Field(description="The engineer's notes; staff only (null otherwise).")


def call_out(call: Call, user: User) -> CallOut:
    return CallOut(
        id=call.pk,
        direction=call.direction,
        phone_number=call.phone_number,
        spoke_with=call.spoke_with,
        started_at=call.started_at,
        duration_minutes=call.duration_minutes,
        logged_by=PersonRef.of(call.logged_by),
        notes=call.notes if may_read_internal(user) else None,
    )


class CallIn(Schema):
    direction: str = Field(description="inbound (the customer called) or outbound.")
    phone_number: str = Field(max_length=40)
    spoke_with: str = Field("", max_length=200)
    started_at: Instant
    duration_minutes: int = Field(ge=0, le=24 * 60)
    notes: str = Field("", max_length=20_000)


class AttachmentOut(Schema):
    id: int
    file_name: str
    size: int
    sha256: str
    content_type: str = Field(description="Sniffed from the file's bytes, not the client's claim.")
    visibility: str
    uploaded_by: PersonRef
    uploaded_at: datetime
    download: str = Field(description="Where to download it (authorised like the ticket).")


def attachment_out(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.pk,
        file_name=attachment.file_name,
        size=attachment.size,
        sha256=attachment.sha256,
        content_type=attachment.content_type,
        visibility=attachment.visibility,
        uploaded_by=PersonRef.of(attachment.uploaded_by),
        uploaded_at=attachment.uploaded_at,
        download=f"/api/v1/tickets/{attachment.ticket.key}/attachments/{attachment.pk}",
    )


class TransitionIn(Schema):
    to: str = Field(description="The status to move to.")
    reason: str = Field("", max_length=2000)


class TransitionsOut(Schema):
    status: str
    allowed: list[str] = Field(description="Statuses you may move the ticket to now.")


class LevelIn(Schema):
    level: str
    reason: str = Field("", max_length=2000)


class FollowTheSunIn(Schema):
    on: bool = Field(description="true to mark the ticket, false to unmark it.")
    reason: str = Field("", max_length=2000)


class OwnerIn(Schema):
    owner: str = Field(description="The engineer's e-mail.")
    reason: str = Field("", max_length=2000)


class EventOut(Schema):
    at: datetime
    actor: str
    kind: str
    visibility: str
    data: dict[str, Any]


class DraftOut(Schema):
    id: int
    fields: dict[str, Any]
    refusal: str
    created_at: datetime


def _ticket(request: HttpRequest, key: str) -> tuple[User, Ticket]:
    user = current_user(request)
    return user, readable_ticket(user, key, timezone.now())


IDEMPOTENCY_KEY_DOC = (
    "Optional: a key of your own for this one write (a random UUID, say; up to 255 visible "
    "ASCII characters). Send the same request again with the same key, after a timeout or a "
    "server error, and it is answered with what the first one made (same status, the same "
    "resource as it is now, header `Idempotent-Replayed: true`) instead of writing twice. The "
    "same key for a different request is refused (422). Keys are per person, kept 24 hours."
)


def idempotency_key_header() -> Any:
    return params.Header(None, alias=IDEMPOTENCY_HEADER, description=IDEMPOTENCY_KEY_DOC)


def _request_key(value: str | None) -> RequestKey | None:
    return RequestKey.parse(value)


def _mark_replayed(response: HttpResponse, key: RequestKey | None) -> None:
    if key is not None and key.replayed:
        response["Idempotent-Replayed"] = "true"


@router.post(
    "/tickets",
    response={201: TicketOut, 401: Problem, **REFUSALS},
    summary="Open a Premier ticket (named contacts); a refusal keeps a draft (draft_id)",
)
def open_ticket(
    request: HttpRequest,
    payload: TicketIn,
    response: HttpResponse,
    idempotency_key: str | None = idempotency_key_header(),
) -> Status[TicketOut]:
    user, key = current_user(request), _request_key(idempotency_key)
    ticket = actions.open_ticket(user, actions.TicketInput(**payload.dict()), key=key)
    _mark_replayed(response, key)
    replayed = key is not None and key.replayed  # a retry answers with the ticket as it is now
    return Status(201, ticket_out(ticket, user, escalated=None if replayed else False))


@router.get("/tickets", response=list[TicketOut], summary="Tickets you see, soonest due first")
@paginate(PagePagination)
def list_tickets(request: HttpRequest, filters: Query[TicketQuery]) -> Any:
    user = current_user(request)
    tickets = queries.ticket_list(user, timezone.now(), queries.TicketFilter(**filters.dict()))
    return Mapped(tickets, lambda ticket: ticket_out(ticket, user))


@router.get("/tickets/{key}", response={200: TicketOut, **REFUSALS}, summary="One ticket")
def get_ticket(request: HttpRequest, key: str) -> TicketOut:
    user, ticket = _ticket(request, key)
    return ticket_out(ticket, user)


@router.get(
    "/tickets/{key}/comments",
    response={200: list[CommentOut], **REFUSALS},
    summary="The conversation (customers: public comments only)",
)
def list_comments(request: HttpRequest, key: str) -> list[CommentOut]:
    user, ticket = _ticket(request, key)
    return [comment_out(c) for c in queries.comments(user, ticket)]


@router.post(
    "/tickets/{key}/comments", response={201: CommentOut, **REFUSALS}, summary="Add a comment"
)
def add_comment(
    request: HttpRequest,
    key: str,
    payload: CommentIn,
    response: HttpResponse,
    idempotency_key: str | None = idempotency_key_header(),
) -> Status[CommentOut]:
    request_key = _request_key(idempotency_key)
    comment = actions.add_comment(
        current_user(request),
        key,
        body=payload.body,
        internal=payload.internal,
        request_key=request_key,
    )
    _mark_replayed(response, request_key)
    return Status(201, comment_out(comment))


@router.patch(
    "/tickets/{key}/comments/{comment_id}",
    response={200: CommentOut, **REFUSALS},
    summary="Edit your comment (the earlier text is kept)",
)
def edit_comment(
    request: HttpRequest, key: str, comment_id: int, payload: CommentEdit
) -> CommentOut:
    comment = actions.edit_comment(current_user(request), key, comment_id, body=payload.body)
    return comment_out(comment)


@router.get(
    "/tickets/{key}/participants",
    response={200: list[ParticipantOut], **REFUSALS},
    summary="Participants",
)
def list_participants(request: HttpRequest, key: str) -> list[ParticipantOut]:
    return [participant_out(p) for p in queries.participants(_ticket(request, key)[1])]


@router.post(
    "/tickets/{key}/participants",
    response={201: ParticipantOut, **REFUSALS},
    summary="Add someone of the same organization (named contacts and staff)",
)
def add_participant(
    request: HttpRequest, key: str, payload: ParticipantIn
) -> Status[ParticipantOut]:
    participant = actions.add_participant(
        current_user(request), key, email=payload.email, full_name=payload.full_name
    )
    return Status(201, participant_out(participant))


@router.get(
    "/tickets/{key}/attachments",
    response={200: list[AttachmentOut], **REFUSALS},
    summary="Attachments (customers: public ones only)",
)
def list_attachments(request: HttpRequest, key: str) -> list[AttachmentOut]:
    user, ticket = _ticket(request, key)
    return [attachment_out(a) for a in queries.attachments(user, ticket)]


@router.post(
    "/tickets/{key}/attachments",
    response={201: AttachmentOut, 413: Problem, **REFUSALS},
    summary="Attach a file: send its bytes as the request body (any content type)",
    description=(
        "The body is the file itself, streamed to storage as it arrives (no multipart, no size "
        "held in memory), e.g. `curl --data-binary @support.zip -H 'Content-Type: "
        "application/octet-stream' '.../attachments?file_name=support.zip'`. The limit is "
        "ATTACHMENT_MAX_BYTES (default 2 GiB): a Content-Length over it is refused with 413 "
        "before the body is read. The SHA-256 and the sniffed content type are returned."
    ),
)
def upload_attachment(
    request: HttpRequest,
    key: str,
    file_name: str,
    response: HttpResponse,
    internal: bool = False,
    idempotency_key: str | None = idempotency_key_header(),
) -> Status[AttachmentOut]:
    request_key = _request_key(idempotency_key)
    declared = declared_length(request)
    if not declared:
        raise InvalidInput.on_field(
            "file",
            "The request body is empty. Send the file's bytes as the body, with its "
            "Content-Length (curl --data-binary @file does).",
        )
    attachment = actions.attach(
        current_user(request),
        key,
        file_name=file_name,
        chunks=request_body_chunks(request),
        internal=internal,
        declared_size=declared,
        request_key=request_key,
    )
    _mark_replayed(response, request_key)
    return Status(201, attachment_out(attachment))


@router.get(
    "/tickets/{key}/attachments/{attachment_id}",
    response={200: None, **REFUSALS},
    summary="Download an attachment",
)
def download_attachment(request: HttpRequest, key: str, attachment_id: int) -> FileResponse:
    attachment = queries.attachment_for_download(
        current_user(request), key, attachment_id, timezone.now()
    )
    return attachment_response(attachment)


@router.get(
    "/tickets/{key}/calls", response={200: list[CallOut], **REFUSALS}, summary="Phone calls"
)
def list_calls(request: HttpRequest, key: str) -> list[CallOut]:
    user, ticket = _ticket(request, key)
    return [call_out(c, user) for c in queries.calls(ticket)]


@router.post(
    "/tickets/{key}/calls", response={201: CallOut, **REFUSALS}, summary="Log a phone call (staff)"
)
def log_call(request: HttpRequest, key: str, payload: CallIn) -> Status[CallOut]:
    user = current_user(request)
    call = actions.log_call(user, key, actions.CallInput(**payload.dict()))
    return Status(201, call_out(call, user))


@router.get(
    "/tickets/{key}/transitions",
    response={200: TransitionsOut, **REFUSALS},
    summary="The status, and the statuses you may move the ticket to",
)
def list_transitions(request: HttpRequest, key: str) -> TransitionsOut:
    user, ticket = _ticket(request, key)
    allowed = offered_moves(user, ticket, timezone.now())
    return TransitionsOut(status=ticket.status, allowed=[str(s) for s in allowed])


@router.post(
    "/tickets/{key}/transitions",
    response={200: TicketOut, **REFUSALS},
    summary="Move the ticket to another status",
)
def make_transition(request: HttpRequest, key: str, payload: TransitionIn) -> TicketOut:
    user = current_user(request)
    ticket = actions.transition(user, key, to=payload.to, reason=payload.reason)
    return ticket_out(ticket, user)


@router.post(
    "/tickets/{key}/level", response={200: TicketOut, **REFUSALS}, summary="Change the level"
)
def change_level(request: HttpRequest, key: str, payload: LevelIn) -> TicketOut:
    user = current_user(request)
    ticket = actions.change_level(user, key, level=payload.level, reason=payload.reason)
    return ticket_out(ticket, user)


@router.post(
    "/tickets/{key}/owner", response={200: TicketOut, **REFUSALS}, summary="Assign an owner"
)
def assign_owner(request: HttpRequest, key: str, payload: OwnerIn) -> TicketOut:
    user = current_user(request)
    ticket = actions.assign_owner(user, key, owner_email=payload.owner, reason=payload.reason)
    return ticket_out(ticket, user)


@router.post(
    "/tickets/{key}/follow-the-sun",
    response={200: TicketOut, **REFUSALS},
    summary="Mark an L2 ticket to follow the sun, or unmark it (staff)",
    description=(
        "A marked L2 ticket is handed over to the next office at each office's end of day, "
        "like every L1 ticket. L1, L3 and L4 tickets, and resolved or closed ones, are refused "
        "(409); a customer is refused (403)."
    ),
)
def set_follow_the_sun(request: HttpRequest, key: str, payload: FollowTheSunIn) -> TicketOut:
    user = current_user(request)
    ticket = actions.set_follow_the_sun(user, key, on=payload.on, reason=payload.reason)
    return ticket_out(ticket, user)


@router.get(
    "/tickets/{key}/timeline",
    response={200: list[EventOut], **REFUSALS},
    summary="Everything that happened to the ticket (customers: public events only)",
)
def get_timeline(request: HttpRequest, key: str) -> list[EventOut]:
    user, ticket = _ticket(request, key)
    return [_event_out(e) for e in queries.timeline(user, ticket)]


def _event_out(event: TimelineEvent) -> EventOut:
    return EventOut(
        at=event.at,
        actor=event.actor_label,
        kind=event.kind,
        visibility=event.visibility,
        data=event.data,
    )


@router.get("/drafts", response=list[DraftOut], summary="Your drafts kept from refused tickets")
@paginate(PagePagination)
def list_drafts(request: HttpRequest) -> Any:
    return Draft.objects.filter(author=current_user(request))


@router.get("/drafts/{draft_id}", response={200: DraftOut, 404: Problem}, summary="One draft")
def get_draft(request: HttpRequest, draft_id: int) -> Draft:
    draft = Draft.objects.filter(author=current_user(request), pk=draft_id).first()
    if draft is None:
        raise NotFound(f"You have no draft {draft_id}.")
    return draft
