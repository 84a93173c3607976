"""The survey of a closed ticket (docs/product/surveys-and-reports.md#surveys): the invitation made
in the close's own transaction, and the one answer its single-use link takes, with the alert a low
rating raises.

The link carries a random token (256 bits from ``secrets``); only its SHA-256 digest is stored,
as with API tokens. A random token rather than a ``django.core.signing`` value because
single use needs a row to mark anyway, and a random token ties nothing to SECRET_KEY: rotating
the key does not void the links already sent, and a changed character finds no row (404).
Expiry is a stored instant (the policy's days counted from the close), so a later policy change
does not shorten or stretch links already promised in an e-mail.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from premierdesk.accounts.actions import token_digest
from premierdesk.accounts.models import Role, User
from premierdesk.audit.actions import record
from premierdesk.feedback.models import (
    RATINGS,
    TEXT_MAX_LENGTH,
    Answer,
    Invitation,
    SurveyPolicy,
)
from premierdesk.lib.errors import ActionError, Conflict, InvalidInput, NotFound
from premierdesk.lib.zones import wall_time
from premierdesk.notifications.actions import notify
from premierdesk.offices.models import Engineer
from premierdesk.tickets.models import Ticket

TOKEN_BYTES = 32
# A token is 43 URL-safe characters; anything much longer is not one of ours.
TOKEN_MAX_LENGTH = 100
SYSTEM = "survey"


class AlreadyAnswered(Conflict):
    title = "Survey already answered"
    slug = "survey-answered"


class LinkExpired(ActionError):
    status = 410
    title = "Survey link expired"
    slug = "survey-expired"


def survey_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('feedback:survey', args=[token])}"


# Inviting -----------------------------------------------------------------------------------


@transaction.atomic
def invite(ticket: Ticket, now: datetime) -> Invitation | None:
    """Invite the ticket's contact to the survey, inside the transaction that closes it (the
    caller holds the ticket's row lock). Once per ticket: a second call returns the first
    invitation. The contact is the opener even if they are no longer a named contact (they
    lived the ticket, and the link shows nothing but its key and summary); an opener whose
    account was deactivated has left the customer, so nobody is invited."""
    existing = Invitation.objects.filter(ticket=ticket).first()
    if existing is not None:
        return existing
    contact = ticket.opened_by
    if not contact.is_active:
        record(
            None,
            "feedback.not_invited",
            ticket,
            reason=f"{contact.email}, who opened it, no longer has an active account.",
            system=SYSTEM,
        )
        return None
    return _create_invitation(ticket, contact, now)


def _create_invitation(ticket: Ticket, contact: User, now: datetime) -> Invitation:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    days = SurveyPolicy.current().link_valid_days
    invitation = Invitation.objects.create(
        ticket=ticket,
        contact=contact,
        owner_id=ticket.owner_id,
        office_id=ticket.office_id,
        token_digest=token_digest(token),
        sent_at=now,
        expires_at=now + timedelta(days=days),
    )
    record(
        None,
        "feedback.invited",
        invitation,
        changes={
            "ticket": [None, ticket.key],
            "contact": [None, contact.email],
            "expires_at": [None, invitation.expires_at],
        },
        system=SYSTEM,
    )
    notify(
        f"feedback.invitation:{ticket.pk}",
        [contact.email],
        "survey_invitation",
        {"ticket": ticket, "invitation": invitation, "survey_url": survey_url(token)},
    )
    return invitation


# Reading and answering ----------------------------------------------------------------------


def find_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link's token belongs to. A token that was changed, or never issued,
    finds nothing and answers 404, like any unknown address."""
    query = Invitation.objects.select_related("ticket", "contact")
    if lock:
        query = query.select_for_update(of=("self",))
    found = None
    if 0 < len(token) <= TOKEN_MAX_LENGTH:
        found = query.filter(token_digest=token_digest(token)).first()
    if found is None:
        raise NotFound(
            "This survey link is not valid. Open it from the survey e-mail exactly as it was "
            "sent; a link that was cut or changed does not work."
        )
    return found


def is_expired(invitation: Invitation, now: datetime) -> bool:
    """The link works up to and including ``expires_at``, the close plus the policy's days
    (28: at 28 days exactly it still works; one second later it does not)."""
    return now > invitation.expires_at


def require_answerable(invitation: Invitation, now: datetime) -> None:
    """Refuse a link already used (409) or past its expiry (410)."""
    if invitation.answered_at is not None:
        raise _already_answered(invitation, invitation.answered_at)
    if is_expired(invitation, now):
        raise _expired(invitation)


def _already_answered(invitation: Invitation, answered_at: datetime) -> AlreadyAnswered:
    refusal = AlreadyAnswered(
        f"The survey of {invitation.ticket.key} was already answered on "
        f"{wall_time(answered_at, invitation.contact.time_zone)}; each ticket's survey takes "
        "one answer. Thank you."
    )
    refusal.extra["answered_at"] = answered_at.isoformat()
    return refusal


def _expired(invitation: Invitation) -> LinkExpired:
    refusal = LinkExpired(
        f"The survey link of {invitation.ticket.key} expired on "
        f"{wall_time(invitation.expires_at, invitation.contact.time_zone)}. To tell us about the "
        "service, write to your enterprise manager."
    )
    refusal.extra["expired_at"] = invitation.expires_at.isoformat()
    return refusal


@dataclass(frozen=True)
class AnswerInput:
    rating: int
    went_well: str = ""
    could_be_better: str = ""


@transaction.atomic
def answer_survey(token: str, fields: AnswerInput) -> Answer:
    """Take the contact's answer through the link. Nobody signs in: the token is the only
    credential, and it is used up here. The invitation's row lock makes two submissions at
    once give one answer (the second sees it answered); the unique ticket of ``Answer`` would
    refuse a second row anyway."""
    now = timezone.now()
    invitation = find_invitation(token, lock=True)
    require_answerable(invitation, now)
    rating, went_well, could_be_better = _checked(fields)
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    answer = Answer.objects.create(
        invitation=invitation,
        ticket=invitation.ticket,
        rating=rating,
        went_well=went_well,
        could_be_better=could_be_better,
        answered_at=now,
    )
    record(
        None,
        "feedback.answered",
        answer,
        changes={"ticket": [None, invitation.ticket.key], "rating": [None, rating]},
        system=f"{SYSTEM} link of {invitation.contact.email}",
    )
    if is_low(rating):
        _alert_low_rating(answer, invitation)
    return answer


def is_low(rating: int) -> bool:
    return rating <= SurveyPolicy.current().low_rating_at_most


def _checked(fields: AnswerInput) -> tuple[int, str, str]:
    if isinstance(fields.rating, bool) or fields.rating not in RATINGS:
        raise InvalidInput.on_field(
            "rating", f"Rate the service from {RATINGS.start} (poor) to {RATINGS.stop - 1} (great)."
        )
    texts = []
    for name in ("went_well", "could_be_better"):
        text = getattr(fields, name).strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise InvalidInput.on_field(
                name, f"Keep it to {TEXT_MAX_LENGTH} characters; this has {len(text)}."
            )
        texts.append(text)
    return fields.rating, texts[0], texts[1]


# A low rating ---------------------------------------------------------------------------------


def low_rating_recipients(ticket: Ticket) -> list[str]:
    """The office lead of the ticket's last owner (owner → engineer → office → lead); the
    support managers when there is none (no owner, an owner who is not an engineer, an office
    without an active lead)."""
    engineer = (
        Engineer.objects.filter(user=ticket.owner).select_related("office__lead").first()
        if ticket.owner is not None
        else None
    )
    lead = engineer.office.lead if engineer is not None else None
    if lead is not None and lead.is_active:
        return [lead.email]
    managers = User.objects.filter(role=Role.SUPPORT_MANAGER, is_active=True)
    return sorted(managers.values_list("email", flat=True))


def _alert_low_rating(answer: Answer, invitation: Invitation) -> None:
    """Once per ticket: the e-mail's event key is the ticket, and a ticket has one answer."""
    ticket = invitation.ticket
    recipients = low_rating_recipients(ticket)
    notify(
        f"feedback.low_rating:{ticket.pk}",
        recipients,
        "survey_low_rating",
        {"ticket": ticket, "answer": answer, "contact": invitation.contact},
    )
    record(
        None,
        "feedback.low_rating_alerted",
        answer,
        changes={"alerted": [None, recipients]},
        system=SYSTEM,
    )
