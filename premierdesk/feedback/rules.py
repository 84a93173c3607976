"""Who may answer a survey: the holder of a link not yet used and not past its expiry. The
survey page, its API and the answering action ask these."""

from __future__ import annotations

from datetime import datetime

from premierdesk.feedback.models import Invitation
from premierdesk.lib.errors import ActionError, Conflict
from premierdesk.lib.zones import wall_time


class AlreadyAnswered(Conflict):
    title = "Survey already answered"
    slug = "survey-answered"


class LinkExpired(ActionError):
    status = 410
    title = "Survey link expired"
    slug = "survey-expired"


def is_expired(invitation: Invitation, now: datetime) -> bool:
    """The link works up to and including ``expires_at``, the close plus the policy's days
    (28: at 28 days exactly it still works; one second later it does not)."""
    return now > invitation.expires_at


def may_answer_survey(invitation: Invitation, now: datetime) -> bool:
    return invitation.answered_at is None and not is_expired(invitation, now)


def require_answer_survey(invitation: Invitation, now: datetime) -> None:
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
