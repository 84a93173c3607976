"""Hooks: how an app lets the apps above it act on its changes, or answer its questions,
without importing them (docs/architecture.md, "How cross-app side effects travel").

The lower app declares each hook in its ``hooks.py``, saying who sends it and when; the higher
app connects to it in its ``AppConfig.ready()``. Everything runs at once, in the caller's
transaction, as a direct call did: a listener's audit entry commits or rolls back with the
change, a listener that fails rolls the whole change back, and work for after the commit is
enqueued on commit by the listener itself (``jobs.actions.enqueue_on_commit``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P]):
    """Something that happened in the app that declares it. ``send`` calls every listener
    with it, in the order they connected."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[P, object]] = []

    def connect(self, listener: Callable[P, object]) -> Callable[P, object]:
        if listener not in self._listeners:  # connecting twice must not act twice
            self._listeners.append(listener)
        return listener

    def disconnect(self, listener: Callable[P, object]) -> None:
        self._listeners.remove(listener)

    def send(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for listener in list(self._listeners):
            listener(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"


class Question(Generic[P, R]):
    """Something the declaring app must know and cannot know itself: exactly one app above
    it answers. Asking one that nobody answers is a mistake in the set-up, never a default."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._answer: Callable[P, R] | None = None

    def answer_with(self, answer: Callable[P, R]) -> Callable[P, R]:
        if self._answer is not None and self._answer != answer:
            raise RuntimeError(f"{self.name} is already answered by {self._answer!r}.")
        self._answer = answer
        return answer

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._answer is None:
            raise RuntimeError(f"Nothing answers {self.name}: the app that does is not ready.")
        return self._answer(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Question {self.name}>"
