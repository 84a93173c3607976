"""Pieces every app's API shares: the refusals an action can answer with, and how a person
is named in an answer."""

from ninja import Schema

from premierdesk.accounts.models import User
from premierdesk.restapi.errors import Problem

# The problem bodies an endpoint that calls an action may answer with (lib.errors).
REFUSALS: dict[int, type[Schema]] = {403: Problem, 404: Problem, 409: Problem, 422: Problem}


class PersonRef(Schema):
    email: str
    full_name: str


def person_ref(user: User | None) -> PersonRef | None:
    return PersonRef(email=user.email, full_name=user.full_name) if user else None
