"""Every change to a ticket (docs/product/tickets.md): open, participants, comments, calls, level,
owner, follow the sun and status. Each is one transaction that locks the ticket row first, writes
its timeline event and audit entry, and queues its e-mail in the outbox, so all of it commits or
none of it does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from premierdesk.accounts.models import User, normalize_email
from premierdesk.accounts.queries import set_password_url
from premierdesk.audit.actions import record, record_many
from premierdesk.catalog.models import Level, OfferingSlug, Product
from premierdesk.customers.actions import person_of_organization
from premierdesk.customers.models import License
from premierdesk.customers.queries import find_license, find_license_and_product, unknown_sen
from premierdesk.customers.rules import require_named_contact
from premierdesk.lib import bulk
from premierdesk.lib.errors import ActionError, Conflict, InvalidInput
from premierdesk.lib.readings import one_reading
from premierdesk.notifications.actions import notify, notify_of
from premierdesk.tickets import hooks
from premierdesk.tickets.idempotency import KeyReused, RequestKey, claim, earlier
from premierdesk.tickets.models import (
    Attachment,
    Call,
    CallDirection,
    Comment,
    CommentRevision,
    Draft,
    Environment,
    EventKind,
    Participant,
    Status,
    Ticket,
    TicketPolicy,
    TimelineEvent,
    Visibility,
)
from premierdesk.tickets.rules import (
    readable_ticket,
    require_add_participant,
    require_assign_owner,
    require_attach,
    require_change_level,
    require_change_tickets,
    require_comment,
    require_edit_comment,
    require_log_call,
    require_mark_follow_the_sun,
    require_move,
    require_open_ticket,
    ticket_number,
)
from premierdesk.tickets.storage import (
    StoredFile,
    delete_stored,
    require_declared_size,
    safe_file_name,
    store,
)

M = TypeVar("M")


# Opening ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketInput:
    sen: str
    product: str
    product_version: str
    environment: str
    level: str
    summary: str
    description: str


def open_ticket(actor: User, fields: TicketInput, *, key: RequestKey | None = None) -> Ticket:
    """Open a Premier ticket. A refusal keeps what was typed as a draft for its author (the
    refusal's ``extra["draft_id"]`` names it) and is raised again. With ``key``, a retry of
    the same request returns the ticket the first one opened (``tickets.idempotency``)."""
    try:
        return _open(actor, fields, key)
    except KeyReused:
        raise  # a client's mistake about its key, not a ticket to keep a draft of
    except ActionError as refusal:
        draft = keep_draft(actor, fields, refusal.detail, key)
        refusal.extra["draft_id"] = draft.pk
        raise


@transaction.atomic
def keep_draft(
    actor: User, fields: TicketInput, refusal: str, key: RequestKey | None = None
) -> Draft:
    """Keep what was typed. The same request key sent again and refused again (a
    double-click, a retry, the refused form corrected and still refused) keeps its one
    draft, with the text last sent."""
    if key is not None:
        kept = Draft.objects.select_for_update().filter(author=actor, request_key=key.value)
        if (draft := kept.first()) is not None:
            return _keep_again(actor, draft, fields, refusal)
    try:
        with transaction.atomic():  # a savepoint: the same key may be refused at this moment
            draft = Draft.objects.create(
                author=actor,
                fields=vars(fields),
                refusal=refusal,
                created_at=timezone.now(),
                request_key=key.value if key else "",
            )
    except IntegrityError:
        assert key is not None  # only a key is unique
        draft = Draft.objects.select_for_update().get(author=actor, request_key=key.value)
        return _keep_again(actor, draft, fields, refusal)
    record(actor, "tickets.draft_kept", draft, reason=refusal)
    return draft


def _keep_again(actor: User, draft: Draft, fields: TicketInput, refusal: str) -> Draft:
    if draft.fields == vars(fields) and draft.refusal == refusal:
        return draft  # the same request refused alike: nothing new to keep
    before = draft.fields
    draft.fields, draft.refusal, draft.created_at = vars(fields), refusal, timezone.now()
    draft.save(update_fields=["fields", "refusal", "created_at"])
    record(
        actor,
        "tickets.draft_kept",
        draft,
        changes={"fields": [before, draft.fields]},
        reason=refusal,
    )
    return draft


@transaction.atomic
def _open(actor: User, fields: TicketInput, key: RequestKey | None) -> Ticket:
    claimed = claim(actor, key, "tickets.open", vars(fields))
    if claimed.earlier is not None:
        return _made(claimed.earlier.ticket)
    now = timezone.now()
    # The policy, office hours and named contacts are read once for all the steps below.
    with one_reading():
        license, product = _license_and_product(actor, fields, now)
        environment, level = _environment_and_level(fields.environment, fields.level)
        _require_text(fields)
        ticket = Ticket(
            license=license,
            organization=license.organization,
            product=product,
            product_version=fields.product_version.strip(),
            environment=environment,
            level=level,
            summary=fields.summary.strip(),
            description=fields.description.strip(),
            opened_by=actor,
            opened_at=now,
            status=Status.WAITING_FOR_SUPPORT,
            status_changed_at=now,
            updated_at=now,
        )
        # Its clocks started and routed before its row is written, so it is written once.
        clocks = hooks.start_clocks(ticket, now)
        ticket.sla_due_at = clocks.due_at
        found = hooks.route_new_ticket(ticket, now)
        if found is not None:
            ticket.owner, ticket.office_id = found.owner, found.office_id
            if found.office is not None:
                ticket.office = found.office  # type: ignore[assignment]  # offices' row
        ticket.save(force_insert=True)
        _opening_events(ticket, actor, found, now)
        clocks.store()
    record(
        actor,
        "tickets.opened",
        ticket,
        changes={"key": [None, ticket.key], "level": [None, level], "sen": [None, license.sen]},
    )
    claimed.settle(ticket=ticket)
    return ticket


def _made(result: M | None) -> M:
    """What an earlier write with the same key made (set in that write's transaction)."""
    if result is None:
        raise RuntimeError("an idempotency key committed without its result")
    return result


def _opening_events(
    ticket: Ticket, actor: User, found: hooks.Assignment | None, now: datetime
) -> None:
    """The timeline of a new ticket: opened, then the owner the follow-the-sun routing rules
    gave it (docs/product/follow-the-sun.md#routing), who is told by e-mail."""
    opened = _new_event(
        ticket, actor, EventKind.OPENED, {"level": ticket.level, "summary": ticket.summary}, now
    )
    if found is None:  # nobody has the skill: it waits unassigned in the queue
        opened.save()
        return
    data = {"from": None, "to": found.owner.email, "office": found.owner_office}
    owned = _new_event(ticket, None, EventKind.OWNER_CHANGED, {**data, "reason": found.reason}, now)
    TimelineEvent.objects.bulk_create([opened, owned])
    notify(
        f"tickets.owner:{owned.pk}",
        [found.owner.email],
        "ticket_owner",
        {"ticket": ticket},
        new_event=True,
    )


def _license_and_product(
    actor: User, fields: TicketInput, now: datetime
) -> tuple[License, Product]:
    """The license and product the ticket is opened under, after every check of them in
    order. A license that covers the product is read with it in one query; anything else
    takes the steps one by one, for the refusal each gives."""
    pair = find_license_and_product(fields.sen, fields.product)
    if pair is None:
        license = _premier_license_of(actor, fields.sen, now)
        product = _covered_product(license, fields.product)
    else:
        license, product = pair
        _check_premier_license(actor, license, fields.sen, now)
        _require_covered(product)
    _require_named_contact(actor, license, now)
    return license, product


def _premier_license_of(actor: User, sen: str, now: datetime) -> License:
    license = find_license(sen)
    _check_premier_license(actor, license, sen, now)
    return license


def _check_premier_license(actor: User, license: License, sen: str, now: datetime) -> None:
    if actor.is_customer and license.organization_id != actor.organization_id:
        raise unknown_sen(sen)
    require_open_ticket(actor, now)
    if license.offering.slug != OfferingSlug.PREMIER:
        raise Conflict.on_field(
            "sen",
            f"{license.sen} is a {license.offering.name} license; Premier tickets need a "
            "Premier license.",
        )
    today = now.date()
    if not license.valid_from <= today <= license.valid_until:
        raise Conflict.on_field(
            "sen",
            f"{license.sen} is valid from {license.valid_from:%Y-%m-%d} to "
            f"{license.valid_until:%Y-%m-%d}; it does not cover today. Renew it, or open the "
            "ticket under a valid license.",
        )


def _covered_product(license: License, slug: str) -> Product:
    product = Product.objects.filter(slug=slug.strip().lower()).first()
    if product is None:
        raise InvalidInput.on_field(
            "product", f"There is no product {slug!r}; choose one of the listed products."
        )
    _require_covered(product)
    if not license.products.filter(pk=product.pk).exists():
        raise Conflict.on_field(
            "product",
            f"{license.sen} does not cover {product.name}. Open the ticket under the license "
            "that covers it, or ask your enterprise manager to add the product.",
        )
    return product


def _require_covered(product: Product) -> None:
    if not product.covered:
        reason = product.not_covered_reason or f"{product.name} is not covered."
        raise Conflict.on_field("product", f"{reason} Premier Support cannot take this ticket.")


def _require_named_contact(actor: User, license: License, now: datetime) -> None:
    require_named_contact(
        actor,
        license,
        now,
        to="open Premier tickets",
        then="Your text is kept as a draft: forward it to one of them, or ask to become a "
        "named contact.",
    )


def _environment_and_level(environment: str, level: str) -> tuple[Environment, Level]:
    if environment not in Environment.values:
        raise InvalidInput.on_field(
            "environment", f"Choose the environment: {', '.join(Environment.values)}."
        )
    if level not in Level.values:
        raise InvalidInput.on_field("level", f"Choose a level: {', '.join(Level.values)}.")
    chosen = Level(level)
    if chosen == Level.L1 and environment != Environment.PRODUCTION:
        raise InvalidInput.on_field(
            "level",
            "L1 critical is for production systems that are down. For a "
            f"{Environment(environment).label.lower()} system choose L2 to L4.",
        )
    return Environment(environment), chosen


def _require_text(fields: TicketInput) -> None:
    for name, label in (
        ("summary", "a summary"),
        ("description", "a description"),
        ("product_version", "the product version"),
    ):
        if not getattr(fields, name).strip():
            raise InvalidInput.on_field(name, f"Give {label}.")


# The rest of a ticket's life -------------------------------------------------------------


def _ticket_for_change(actor: User, key: str) -> tuple[Ticket, datetime]:
    """The ticket, visible to ``actor`` and locked for this transaction."""
    now = timezone.now()
    ticket = readable_ticket(actor, key, now)
    require_change_tickets(actor, ticket)
    # The ticket's row only: the license and organization rows are shared by every ticket of
    # the customer, so locking them too would make changes to different tickets wait in turn.
    locked = Ticket.objects.select_for_update(of=("self",)).select_related(
        "license", "organization"
    )
    return locked.get(pk=ticket.pk), now


@transaction.atomic
def add_participant(actor: User, key: str, *, email: str, full_name: str = "") -> Participant:
    ticket, now = _ticket_for_change(actor, key)
    require_add_participant(actor, ticket, now)
    if actor.is_customer and not ticket.organization.members.filter(email=normalize_email(email)):
        # A customer adds colleagues who have an account. Any other address (nobody's, another
        # customer's, staff's) gets this one answer and nothing happens, so it never tells
        # whether the address has an account elsewhere; Premier Support invites someone new.
        raise InvalidInput.on_field(
            "email",
            f"{normalize_email(email)} is not a person of {ticket.organization} with an "
            "account. Add a colleague who has one, or ask Premier Support to invite someone new.",
        )
    person = person_of_organization(ticket.organization, email, full_name, actor)
    if person.pk == ticket.opened_by_id or ticket.participants.filter(person=person).exists():
        raise Conflict.on_field("email", f"{person.email} is already on {ticket.key}.")
    participant = Participant.objects.create(
        ticket=ticket, person=person, added_by=actor, added_at=now
    )
    _event(ticket, actor, EventKind.PARTICIPANT_ADDED, {"person": person.email}, now)
    _touch(ticket, now)
    added = record(
        actor, "tickets.participant_added", ticket, changes={"participant": [None, person.email]}
    )
    notify_of(
        added,
        [person.email],
        {
            "ticket": ticket,
            "participant": participant,
            "invitation_url": None if person.has_usable_password() else set_password_url(person),
        },
        template="ticket_participant_added",
        ids=(participant.pk,),
    )
    return participant


@transaction.atomic
def add_comment(
    actor: User,
    key: str,
    *,
    body: str,
    internal: bool = False,
    request_key: RequestKey | None = None,
) -> Comment:
    """Add a comment. With ``request_key``, a retry of the same request returns the comment
    the first one added."""
    request = {"ticket": ticket_number(key), "body": body, "internal": internal}
    claimed = claim(actor, request_key, "tickets.comment", request)
    if claimed.earlier is not None:
        return _made(claimed.earlier.comment)
    ticket, now = _ticket_for_change(actor, key)
    require_comment(actor, ticket, internal=internal)
    if not body.strip():
        raise InvalidInput.on_field("body", "Write the comment first.")
    visibility = Visibility.INTERNAL if internal else Visibility.PUBLIC
    comment = Comment.objects.create(
        ticket=ticket, author=actor, visibility=visibility, body=body.strip(), created_at=now
    )
    _event(ticket, actor, EventKind.COMMENTED, {"comment": comment.pk}, now, visibility)
    record(actor, "tickets.commented", ticket, changes={"comment": [None, comment.pk]})
    if actor.is_customer and ticket.status in (Status.WAITING_FOR_CUSTOMER, Status.INACTIVE):
        # The customer answered: the ticket is support's turn again.
        _move(ticket, Status.WAITING_FOR_SUPPORT, actor, now, "The customer answered.")
    _touch(ticket, now)
    recipients = _audience(ticket, public=comment.is_public, actor=actor)
    notify(
        f"tickets.comment:{comment.pk}",
        recipients,
        "ticket_comment",
        {"ticket": ticket, "comment": comment},
    )
    claimed.settle(comment=comment)
    return comment


@transaction.atomic
def edit_comment(actor: User, key: str, comment_id: int, *, body: str) -> Comment:
    ticket, now = _ticket_for_change(actor, key)
    comment = Comment.objects.select_for_update().filter(pk=comment_id, ticket=ticket).first()
    if comment is None or (actor.is_customer and not comment.is_public):
        raise InvalidInput.on_field("comment", f"{ticket.key} has no comment {comment_id}.")
    require_edit_comment(actor, comment)
    if not body.strip():
        raise InvalidInput.on_field(
            "body", "A comment cannot be emptied; write what it should say."
        )
    CommentRevision.objects.create(
        comment=comment, body=comment.body, replaced_by=actor, replaced_at=now
    )
    before = comment.body
    comment.body, comment.edited_at = body.strip(), now
    comment.save(update_fields=["body", "edited_at"])
    _event(
        ticket, actor, EventKind.COMMENT_EDITED, {"comment": comment.pk}, now, comment.visibility
    )
    _touch(ticket, now)
    record(actor, "tickets.comment_edited", comment, changes={"body": [before, comment.body]})
    return comment


def attach(
    actor: User,
    key: str,
    *,
    file_name: str,
    chunks: Iterable[bytes],
    internal: bool = False,
    declared_size: int | None = None,
    request_key: RequestKey | None = None,
) -> Attachment:
    """Stream a file to attachment storage, then record it on the ticket. The upload runs
    outside any transaction (it can take minutes and must not hold the ticket's lock); if
    recording fails, the stored file is removed again, so nothing is left half-done. Who may
    attach, and the size the request declares, are checked before ``chunks`` is read. With
    ``request_key``, a retry of the same request returns the first attachment: unread if that
    one is already recorded, else the second copy is removed once the first is found."""
    ticket = readable_ticket(actor, key, timezone.now())
    request = {"ticket": ticket.pk, "file_name": file_name, "internal": internal}
    found = earlier(actor, request_key, "tickets.attach", request)
    if found is not None:
        return _made(found.attachment)
    require_attach(actor, ticket, internal=internal)
    require_declared_size(
        declared_size, settings.ATTACHMENT_MAX_BYTES, file_name=safe_file_name(file_name)
    )
    stored = store(
        chunks,
        folder=f"tickets/{ticket.pk}",
        file_name=file_name,
        max_bytes=settings.ATTACHMENT_MAX_BYTES,
    )
    try:
        attachment = _record_attachment(actor, key, stored, internal, request_key, request)
    except BaseException:
        delete_stored(stored.storage_name)
        raise
    if attachment.storage_name != stored.storage_name:
        delete_stored(stored.storage_name)  # a concurrent retry recorded its copy first
    return attachment


@transaction.atomic
def _record_attachment(
    actor: User,
    key: str,
    stored: StoredFile,
    internal: bool,
    request_key: RequestKey | None,
    request: dict[str, Any],
) -> Attachment:
    claimed = claim(actor, request_key, "tickets.attach", request)
    if claimed.earlier is not None:
        return _made(claimed.earlier.attachment)
    ticket, now = _ticket_for_change(actor, key)
    require_attach(actor, ticket, internal=internal)  # it may have closed during the upload
    visibility = Visibility.INTERNAL if internal else Visibility.PUBLIC
    attachment = Attachment.objects.create(
        ticket=ticket,
        visibility=visibility,
        file_name=stored.storage_name.rsplit("/", 1)[-1],
        size=stored.size,
        sha256=stored.sha256,
        content_type=stored.content_type,
        storage_name=stored.storage_name,
        uploaded_by=actor,
        uploaded_at=now,
    )
    data = {"attachment": attachment.pk, "file_name": attachment.file_name, "size": stored.size}
    _event(ticket, actor, EventKind.ATTACHED, data, now, visibility)
    _touch(ticket, now)
    record(
        actor,
        "tickets.attached",
        ticket,
        changes={"attachment": [None, f"{attachment.file_name} sha256:{stored.sha256}"]},
    )
    notify(
        f"tickets.attachment:{attachment.pk}",
        _audience(ticket, public=visibility == Visibility.PUBLIC, actor=actor),
        "ticket_attachment",
        {"ticket": ticket, "attachment": attachment},
    )
    claimed.settle(attachment=attachment)
    return attachment


@dataclass(frozen=True)
class CallInput:
    direction: str
    phone_number: str
    spoke_with: str
    started_at: datetime
    duration_minutes: int
    notes: str = ""


@transaction.atomic
def log_call(actor: User, key: str, call: CallInput) -> Call:
    ticket, now = _ticket_for_change(actor, key)
    require_log_call(actor, ticket)
    if call.direction not in CallDirection.values:
        raise InvalidInput.on_field(
            "direction", "Say whether the customer called (inbound) or we did (outbound)."
        )
    if not call.phone_number.strip():
        raise InvalidInput.on_field("phone_number", "Give the number called or calling.")
    if call.started_at > now:
        raise InvalidInput.on_field(
            "started_at", "A call is logged after it happened; the start is in the future."
        )
    if call.duration_minutes < 0:
        raise InvalidInput.on_field("duration_minutes", "The duration cannot be negative.")
    logged = Call.objects.create(
        ticket=ticket,
        logged_by=actor,
        direction=call.direction,
        phone_number=call.phone_number.strip(),
        spoke_with=call.spoke_with.strip(),
        started_at=call.started_at,
        duration_minutes=call.duration_minutes,
        notes=call.notes.strip(),
        logged_at=now,
    )
    data = {
        "call": logged.pk,
        "direction": logged.direction,
        "duration_minutes": logged.duration_minutes,
    }
    _event(ticket, actor, EventKind.CALL_LOGGED, data, now)
    _touch(ticket, now)
    record(actor, "tickets.call_logged", ticket, changes={"call": [None, logged.pk]})
    return logged


@transaction.atomic
def change_level(actor: User, key: str, *, level: str, reason: str = "") -> Ticket:
    ticket, now = _ticket_for_change(actor, key)
    require_change_level(actor, ticket, now)
    _, new_level = _environment_and_level(ticket.environment, level)
    if new_level == ticket.level:
        raise Conflict.on_field("level", f"{ticket.key} is already {new_level.label}.")
    before = ticket.level
    ticket.level = new_level
    event = _event(
        ticket,
        actor,
        EventKind.LEVEL_CHANGED,
        {"from": before, "to": new_level, "reason": reason},
        now,
    )
    # Leaving L2 clears the follow-the-sun mark: L1 is handed over anyway and L3/L4 never
    # are, so the mark would mean nothing, and must not come back unasked on a return to L2.
    changes = {"level": [before, new_level], **_clear_follow_the_sun(ticket, actor, now)}
    _touch(ticket, now, "level", "follow_the_sun")
    record(actor, "tickets.level_changed", ticket, changes=changes, reason=reason)
    notify(
        f"tickets.level:{event.pk}",
        _audience(ticket, public=True, actor=actor),
        "ticket_level_changed",
        {"ticket": ticket, "before": Level(before).label, "reason": reason},
    )
    return ticket


def _clear_follow_the_sun(ticket: Ticket, actor: User, now: datetime) -> dict[str, list[Any]]:
    """Unmark a ticket that is no longer L2 (an internal event); the audit changes made."""
    if not ticket.follow_the_sun or ticket.level == Level.L2:
        return {}
    ticket.follow_the_sun = False
    why = f"The level changed to {Level(ticket.level).label}; only L2 tickets are marked."
    data = {"on": False, "reason": why}
    _event(ticket, actor, EventKind.FOLLOW_THE_SUN, data, now, Visibility.INTERNAL)
    return {"follow_the_sun": [True, False]}


@transaction.atomic
def assign_owner(actor: User, key: str, *, owner_email: str, reason: str = "") -> Ticket:
    ticket, now = _ticket_for_change(actor, key)
    require_assign_owner(actor, ticket)
    owner = (
        User.objects.filter(email=owner_email.strip().lower())
        .select_related("engineer__office")
        .first()
    )
    engineer = getattr(owner, "engineer", None) if owner is not None else None
    if owner is None or engineer is None or not owner.is_active:
        raise InvalidInput.on_field("owner", f"{owner_email} is not a support engineer.")
    if owner.pk == ticket.owner_id:
        raise Conflict.on_field("owner", f"{owner.full_name} already owns {ticket.key}.")
    before = ticket.owner.email if ticket.owner else None
    ticket.owner, ticket.office = owner, engineer.office
    data = {"from": before, "to": owner.email, "office": engineer.office.name, "reason": reason}
    event = _event(ticket, actor, EventKind.OWNER_CHANGED, data, now)
    _touch(ticket, now, "owner", "office")
    record(
        actor,
        "tickets.owner_changed",
        ticket,
        changes={"owner": [before, owner.email]},
        reason=reason,
    )
    if owner.pk != actor.pk:
        notify(f"tickets.owner:{event.pk}", [owner.email], "ticket_owner", {"ticket": ticket})
    return ticket


@transaction.atomic
def set_follow_the_sun(actor: User, key: str, *, on: bool, reason: str = "") -> Ticket:
    """Mark an L2 ticket to be handed over at each office's end of day, or unmark it (L1 always
    follows the sun, L2 on request: docs/product/follow-the-sun.md#handover). Staff only; the
    customer sees nothing of it, and still sees one continuous conversation when it is handed
    over."""
    ticket, now = _ticket_for_change(actor, key)
    require_mark_follow_the_sun(actor, ticket)
    if ticket.follow_the_sun == on:
        state = "marked to follow the sun" if on else "unmarked: it does not follow the sun"
        raise Conflict.on_field("on", f"{ticket.key} is already {state}.")
    ticket.follow_the_sun, reason = on, reason.strip()
    data = {"on": on, "reason": reason}
    _event(ticket, actor, EventKind.FOLLOW_THE_SUN, data, now, Visibility.INTERNAL)
    _touch(ticket, now, "follow_the_sun")
    record(
        actor,
        "tickets.follow_the_sun_changed",
        ticket,
        changes={"follow_the_sun": [not on, on]},
        reason=reason,
    )
    return ticket


@dataclass(frozen=True)
class OwnerChange:
    """One ticket (locked by the caller, read with its owner and office) changing owner at an
    office's end of day, with the summary the receiver reads."""

    ticket: Ticket
    to_owner: User
    office_id: int
    office_name: str
    summary: str


def hand_over(owner_changes: list[OwnerChange], now: datetime) -> None:
    """Follow the sun: tickets change owner at an office's end of day, written in bulk (one
    end of day may move thousands). The customer sees one line saying who works on it now;
    the summary is for staff. The SLA clocks are not re-derived: an owner is not among the
    facts they read (``sla.queries.facts_of``), so a handover cannot move them."""
    events: list[dict[str, Any]] = []
    changed: list[tuple[Ticket, dict[str, list[Any]]]] = []
    for change in owner_changes:
        ticket, before = change.ticket, change.ticket.owner
        public = {"from": before.email if before else None, "to": change.to_owner.email}
        events += [
            _system_event_row(
                ticket, EventKind.HANDED_OVER, {**public, "office": change.office_name}, now
            ),
            _system_event_row(
                ticket,
                EventKind.HANDOVER_NOTE,
                {"summary": change.summary},
                now,
                Visibility.INTERNAL,
            ),
        ]
        office_before = ticket.office.name if ticket.office else None
        audited = {
            "owner": [public["from"], public["to"]],
            "office": [office_before, change.office_name],
        }
        changed.append((ticket, audited))
        ticket.owner, ticket.office_id, ticket.updated_at = change.to_owner, change.office_id, now
    bulk.insert_rows(TimelineEvent, events)
    # One UPDATE for them all, each row's owner and office by a CASE over the receivers.
    bulk.update(
        Ticket,
        {
            change.ticket.pk: {"owner_id": change.to_owner.pk, "office_id": change.office_id}
            for change in owner_changes
        },
        updated_at=now,
    )
    record_many(None, "tickets.handed_over", changed, system="follow the sun")


def _system_event_row(
    ticket: Ticket,
    kind: EventKind,
    data: dict[str, Any],
    at: datetime,
    visibility: str = Visibility.PUBLIC,
) -> dict[str, Any]:
    """The event ``_new_event`` makes without an actor, as a plain row for ``lib.bulk``:
    tens of thousands are written at an end of day."""
    return {
        "ticket_id": ticket.pk,
        "at": at,
        "actor_id": None,
        "actor_label": "Premier Desk",
        "kind": kind,
        "visibility": visibility,
        "data": data,
    }


@transaction.atomic
def transition(actor: User, key: str, *, to: str, reason: str = "") -> Ticket:
    ticket, now = _ticket_for_change(actor, key)
    if to not in Status.values:
        raise InvalidInput.on_field("to", f"Choose a status: {', '.join(Status.values)}.")
    target = Status(to)
    require_move(actor, ticket, target, now)
    _move(ticket, target, actor, now, reason)
    _touch(ticket, now)
    return ticket


def _move(ticket: Ticket, target: Status, actor: User | None, now: datetime, reason: str) -> None:
    """Change the status (rules already checked): stamps, idle timer, event, audit, e-mail."""
    before = Status(ticket.status)
    policy = TicketPolicy.current()
    ticket.status, ticket.status_changed_at = target, now
    ticket.idle_transition_at = {
        Status.WAITING_FOR_CUSTOMER: now + timedelta(days=policy.inactive_after_days),
        Status.INACTIVE: now + timedelta(days=policy.close_inactive_after_days),
    }.get(target)
    if target == Status.RESOLVED:
        ticket.resolved_at = now
    if target == Status.CLOSED:
        ticket.closed_at = now
    if target == Status.WAITING_FOR_SUPPORT:
        ticket.resolved_at = None
    ticket.save(
        update_fields=[
            "status",
            "status_changed_at",
            "idle_transition_at",
            "resolved_at",
            "closed_at",
        ]
    )
    data = {"from": before, "to": target, "reason": reason}
    event = _event(ticket, actor, EventKind.STATUS_CHANGED, data, now)
    record(
        actor, "tickets.status_changed", ticket, changes={"status": [before, target]}, reason=reason
    )
    notify(
        f"tickets.status:{event.pk}",
        _audience(ticket, public=True, actor=actor),
        "ticket_status",
        {"ticket": ticket, "before": before.label, "reason": reason},
    )
    if target == Status.CLOSED:
        # docs/product/surveys-and-reports.md#surveys: the survey invitation commits with the close,
        # whoever closed it.
        hooks.ticket_closed.send(ticket, now)


# Idle tickets (policy) ------------------------------------------------------------------------

IDLE_REASONS = {
    Status.WAITING_FOR_CUSTOMER: "No answer from the customer for {days} days.",
    Status.INACTIVE: "Inactive for {days} more days.",
}


def advance_idle_tickets(now: datetime, limit: int = 500) -> int:
    """Waiting for the customer too long -> inactive; inactive too long -> closed. Each ticket
    is claimed with a conditional update on its due time, so concurrent runs move it once."""
    due = Ticket.objects.filter(idle_transition_at__lte=now).values_list(
        "pk", "status", "idle_transition_at"
    )
    moved = 0
    for pk, status, due_at in list(due.order_by("idle_transition_at")[:limit]):
        with transaction.atomic():
            claimed = Ticket.objects.filter(pk=pk, status=status, idle_transition_at=due_at).update(
                idle_transition_at=None
            )
            if claimed != 1:
                continue
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            _idle_move(ticket, Status(status), now)
            moved += 1
    return moved


def _idle_move(ticket: Ticket, status: Status, now: datetime) -> None:
    policy = TicketPolicy.current()
    if status == Status.WAITING_FOR_CUSTOMER:
        target, days = Status.INACTIVE, policy.inactive_after_days
    else:
        target, days = Status.CLOSED, policy.close_inactive_after_days
    _move(ticket, target, None, now, IDLE_REASONS[status].format(days=days))
    _touch(ticket, now)


# For other apps ------------------------------------------------------------------------------


def note_on_timeline(
    ticket: Ticket,
    actor: User | None,
    kind: EventKind,
    data: dict[str, Any],
    at: datetime,
    visibility: str = Visibility.PUBLIC,
) -> TimelineEvent:
    """Another app's event on a ticket's timeline (an escalation, developers' help), inside
    the caller's transaction. Such events are not SLA facts, so the clocks are left alone."""
    return _event(ticket, actor, kind, data, at, visibility)


# Shared steps ---------------------------------------------------------------------------------


def _event(
    ticket: Ticket,
    actor: User | None,
    kind: EventKind,
    data: dict[str, Any],
    at: datetime,
    visibility: str = Visibility.PUBLIC,
) -> TimelineEvent:
    event = _new_event(ticket, actor, kind, data, at, visibility)
    event.save()
    return event


def _new_event(
    ticket: Ticket,
    actor: User | None,
    kind: EventKind,
    data: dict[str, Any],
    at: datetime,
    visibility: str = Visibility.PUBLIC,
) -> TimelineEvent:
    return TimelineEvent(
        ticket=ticket,
        at=at,
        actor=actor,
        actor_label=actor.email if actor else "Premier Desk",
        kind=kind,
        visibility=visibility,
        data=data,
    )


def _touch(ticket: Ticket, now: datetime, *fields: str) -> None:
    """Every change ends here: the ticket is saved and its SLA clocks re-derived from the
    timeline it now has, in the same transaction (sla listens to ``hooks.ticket_changed``)."""
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at", *fields])
    hooks.ticket_changed.send(ticket, now)


def _audience(ticket: Ticket, *, public: bool, actor: User | None) -> list[str]:
    """Who hears of a change: the opener, the participants and the owner; staff only for
    anything internal. Never the person who made the change."""
    emails = {ticket.owner.email} if ticket.owner else set()
    if public:
        emails.add(ticket.opened_by.email)
        emails.update(ticket.participants.values_list("person__email", flat=True))
    if actor is not None:
        emails.discard(actor.email)
    return sorted(emails)
