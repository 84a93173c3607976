"""Pieces every app's API shares: the refusals an action can answer with, how a person is
named in an answer, and the input types that refuse what the database or the calendar
arithmetic cannot take (instants and dates out of range)."""

from datetime import date, datetime
from typing import Annotated, Protocol, overload

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

from premierdesk.lib.instants import out_of_range
from premierdesk.restapi.errors import Problem

# The problem bodies an endpoint that calls an action may answer with (lib.errors).
REFUSALS: dict[int, type[Schema]] = {403: Problem, 404: Problem, 409: Problem, 422: Problem}


def _in_range(value: date) -> date:
    problem = out_of_range(value)
    if problem is not None:
        raise PydanticCustomError("out_of_range", problem)
    return value


# Every date-time and date an API input takes (a body field or a query parameter) is one of
# these; restapi/tests checks that no input takes a bare datetime or date.
Instant = Annotated[AwareDatetime, AfterValidator(_in_range)]  # with its UTC offset
WallTime = Annotated[datetime, AfterValidator(_in_range)]  # an offset, or a zone's wall time
Day = Annotated[date, AfterValidator(_in_range)]


class Person(Protocol):
    """What an answer names of a person (an account): the toolkit knows no more of them."""

    @property
    def email(self) -> str: ...

    @property
    def full_name(self) -> str: ...


class PersonRef(Schema):
    email: str
    full_name: str

    @overload
    @classmethod
    def of(cls, user: Person) -> "PersonRef": ...

    @overload
    @classmethod
    def of(cls, user: Person | None) -> "PersonRef | None": ...

    @classmethod
    def of(cls, user: Person | None) -> "PersonRef | None":
        """How an answer names ``user``; None for nobody (an unowned ticket, say)."""
        return cls(email=user.email, full_name=user.full_name) if user is not None else None
