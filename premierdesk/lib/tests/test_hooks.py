"""Hooks call their listeners in order with what was sent; a question has exactly one answer."""

from __future__ import annotations

import pytest

from premierdesk.lib.hooks import Hook, Question


def test_a_hook_calls_each_listener_once_in_the_order_they_connected():
    heard: list[tuple[str, int]] = []
    hook: Hook[[int]] = Hook("test.counted")

    def first(n: int) -> None:
        heard.append(("first", n))

    def second(n: int) -> None:
        heard.append(("second", n))

    hook.connect(first)
    hook.connect(second)
    hook.connect(first)  # a second ready() connects again
    hook.send(7)
    assert heard == [("first", 7), ("second", 7)]


def test_a_listener_that_fails_stops_the_sender():
    hook: Hook[[]] = Hook("test.failing")

    def broken() -> None:
        raise RuntimeError("down")

    hook.connect(broken)
    with pytest.raises(RuntimeError, match="down"):
        hook.send()
    hook.disconnect(broken)
    hook.send()  # nobody listens any more


def test_a_question_is_answered_by_its_one_answer():
    question: Question[[int], str] = Question("test.named")
    with pytest.raises(RuntimeError, match=r"Nothing answers test\.named"):
        question(1)

    def answer(n: int) -> str:
        return f"#{n}"

    question.answer_with(answer)
    question.answer_with(answer)  # the same answer again is no conflict
    assert question(3) == "#3"
    with pytest.raises(RuntimeError, match="already answered"):
        question.answer_with(lambda n: "other")
