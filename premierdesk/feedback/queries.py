"""Reading surveys: the invitation a link's token belongs to, the link itself, whether a rating
is low, and who hears of a low one."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.queries import token_digest
from premierdesk.feedback.models import Invitation, SurveyPolicy
from premierdesk.lib.errors import NotFound
from premierdesk.offices.models import Engineer
from premierdesk.tickets.models import Ticket

# A token is 43 URL-safe characters; anything much longer is not one of ours.
TOKEN_MAX_LENGTH = 100


def survey_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('feedback:survey', args=[token])}"


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


def is_low(rating: int) -> bool:
    return rating <= SurveyPolicy.current().low_rating_at_most


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
