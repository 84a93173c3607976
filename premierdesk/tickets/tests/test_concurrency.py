"""Two people acting on one ticket at the same moment, on separate connections: the ticket's
row lock serialises them, so every comment is kept and a status moves once."""

from __future__ import annotations

import pytest

from premierdesk.lib.tests.threads import run_at_once
from premierdesk.tickets import actions
from premierdesk.tickets.models import Comment, EventKind, Status, Ticket

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
