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

from django.db import transaction
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.accounts.queries import token_digest
from premierdesk.audit.actions import record
from premierdesk.feedback.models import (
    RATINGS,
    TEXT_MAX_LENGTH,
    Answer,
    Invitation,
    SurveyPolicy,
)
from premierdesk.feedback.queries import find_invitation, is_low, low_rating_recipients, survey_url
from premierdesk.feedback.rules import require_answer_survey
from premierdesk.lib.errors import InvalidInput
from premierdesk.notifications.actions import notify
from premierdesk.tickets.models import Ticket

TOKEN_BYTES = 32
SYSTEM = "survey"


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
    require_answer_survey(invitation, now)
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
