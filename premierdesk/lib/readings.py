"""One reading per action of data that changes rarely: inside ``one_reading()``, ``read_once``
reads the first time and hands out that answer after, so the steps of one action (routing a new
ticket, then starting its clocks) agree and do not ask the database the same thing twice."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar, cast

T = TypeVar("T")

_answers: ContextVar[dict[Hashable, object] | None] = ContextVar("one_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Read each thing once until the block ends. Nested, the outer reading holds."""
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or inside ``one_reading()`` the answer it gave the first time for ``key``."""
    answers = _answers.get()
    if answers is None:
        return read()
    if key not in answers:
        answers[key] = read()
    return cast(T, answers[key])


def known(key: Hashable, answer: object) -> None:
    """Inside ``one_reading()``, take ``answer`` as what ``key`` reads (a query that brought it
    along with something else); outside, nothing."""
    answers = _answers.get()
    if answers is not None:
        answers.setdefault(key, answer)
