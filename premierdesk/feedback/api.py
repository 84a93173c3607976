"""API of feedback: the survey behind an e-mailed link. No sign-in: the link's token is the
only credential, and it reaches this one survey and nothing else."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from premierdesk.feedback import actions, queries, rules
from premierdesk.feedback.models import RATINGS, TEXT_MAX_LENGTH
from premierdesk.restapi.errors import Problem

router = Router(tags=["feedback"])


class SurveyOut(Schema):
    ticket: str = Field(description="The ticket's key.")
    summary: str
    closed_at: datetime | None
    expires_at: datetime = Field(description="The link works up to and including this instant.")
    answered: bool
    expired: bool


class SurveyAnswerIn(Schema):
    # Strict: 4.0, "4" and true are not ratings.
    rating: Annotated[int, Field(strict=True, ge=RATINGS.start, le=RATINGS.stop - 1)]
    went_well: str = Field("", max_length=TEXT_MAX_LENGTH)
    could_be_better: str = Field("", max_length=TEXT_MAX_LENGTH)


class AnswerOut(Schema):
    ticket: str
    rating: int
    answered_at: datetime
    callback_offered: bool = Field(
        description="A low rating: the customer may ask for a manager callback on the ticket "
        "(signed in, POST /tickets/{key}/callback on the pages)."
    )


@router.get(
    "/surveys/{token}",
    auth=None,
    response={200: SurveyOut, 404: Problem},
    summary="What a survey link is about (no sign-in)",
)
def get_survey(request: HttpRequest, token: str) -> SurveyOut:
    invitation = queries.find_invitation(token)
    return SurveyOut(
        ticket=invitation.ticket.key,
        summary=invitation.ticket.summary,
        closed_at=invitation.ticket.closed_at,
        expires_at=invitation.expires_at,
        answered=invitation.answered_at is not None,
        expired=rules.is_expired(invitation, timezone.now()),
    )


@router.post(
    "/surveys/{token}",
    auth=None,
    response={201: AnswerOut, 404: Problem, 409: Problem, 410: Problem, 422: Problem},
    summary="Answer a survey through its link (no sign-in; once)",
)
def answer_survey(request: HttpRequest, token: str, payload: SurveyAnswerIn) -> Status[AnswerOut]:
    answer = actions.answer_survey(token, actions.AnswerInput(**payload.dict()))
    out = AnswerOut(
        ticket=answer.ticket.key,
        rating=answer.rating,
        answered_at=answer.answered_at,
        callback_offered=queries.is_low(answer.rating),
    )
    return Status(201, out)
