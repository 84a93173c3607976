"""Two people acting on one ticket at the same moment, on separate connections: the ticket's
row lock serialises them, so every comment is kept and a status moves once; two requests with
one idempotency key write once."""

from __future__ import annotations

import pytest

from premierdesk.lib.tests.threads import run_at_once
from premierdesk.notifications.models import OutboxMessage
from premierdesk.tickets import actions
from premierdesk.tickets.idempotency import RequestKey
from premierdesk.tickets.models import Comment, Draft, EventKind, Status, Ticket
from premierdesk.tickets.tests.factories import ticket_fields

pytestmark = [
    pytest.mark.postgresql,  # SQLite's in-memory test database cannot be shared by threads
    pytest.mark.django_db(transaction=True),
]


def test_two_people_resolving_at_once_move_the_ticket_once(ticket, engineer, contact):
    actions.transition(engineer, ticket.key, to="in_progress")
    outcomes = run_at_once(
        lambda: actions.transition(engineer, ticket.key, to="resolved", reason="fixed"),
        lambda: actions.transition(contact, ticket.key, to="resolved", reason="works now"),
    )
    assert outcomes[0] == "done"
    assert outcomes[1].startswith("refused: ")
    assert "is resolved; it cannot become resolved" in outcomes[1]
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
    moves = ticket.events.filter(kind=EventKind.STATUS_CHANGED, data__to="resolved")
    assert moves.count() == 1


def test_comments_written_at_once_are_all_kept(ticket, engineer, contact, participant):
    actions.add_participant(contact, ticket.key, email=participant.email)
    authors = [engineer, contact, participant, engineer]
    outcomes = run_at_once(
        *(
            lambda author=author, n=n: actions.add_comment(author, ticket.key, body=f"comment {n}")
            for n, author in enumerate(authors)
        )
    )
    assert outcomes == ["done"] * 4
    assert sorted(Comment.objects.filter(ticket=ticket).values_list("body", flat=True)) == [
        f"comment {n}" for n in range(4)
    ]
    assert ticket.events.filter(kind=EventKind.COMMENTED).count() == 4


def test_two_requests_with_one_key_at_once_open_one_ticket(contact, license):
    """A double-click: both requests arrive together with the form's key. The second waits on
    the first's claim of the key, then answers with the ticket the first opened."""
    opened: list[str] = []

    def open_once() -> None:
        key = RequestKey("double-click")
        opened.append(actions.open_ticket(contact, ticket_fields(license.sen), key=key).key)

    assert run_at_once(open_once, open_once) == ["done", "done"]
    assert Ticket.objects.count() == 1
    assert opened == [Ticket.objects.get().key] * 2
    assert OutboxMessage.objects.filter(event_key__startswith="tickets.owner:").count() <= 1


def test_two_refused_requests_with_one_key_at_once_keep_one_draft(participant, license):
    def open_once() -> None:
        key = RequestKey("refused-double-click")
        actions.open_ticket(participant, ticket_fields(license.sen), key=key)

    outcomes = run_at_once(open_once, open_once)
    assert [outcome.split(":")[0] for outcome in outcomes] == ["refused", "refused"]
    assert Draft.objects.filter(author=participant).count() == 1


def test_two_comments_with_one_key_at_once_add_one(ticket, contact):
    added: list[int] = []

    def comment_once() -> None:
        key = RequestKey("comment-double-click")
        added.append(actions.add_comment(contact, ticket.key, body="Done", request_key=key).pk)

    assert run_at_once(comment_once, comment_once) == ["done", "done"]
    assert Comment.objects.filter(ticket=ticket).count() == 1
    assert len(set(added)) == 1
