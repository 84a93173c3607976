"""A change locks its own rows, never the shared ones it joins: while a named-contact change or
a ticket change holds its locks, another connection can still lock the organization and the
offering (which every license and ticket of that customer, or that offering, share)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from premierdesk.catalog.models import Offering
from premierdesk.customers import actions as customer_actions
from premierdesk.customers import queries as customer_queries
from premierdesk.customers.models import License, Organization
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.models import Ticket

pytestmark = [
    pytest.mark.postgresql,  # SQLite has no row locks
    pytest.mark.django_db(transaction=True),
]


def lockable_meanwhile(model: type, pk: int) -> bool:
    """Whether another connection can lock the row right now (without waiting)."""
    answer: list[bool] = []

    def other_connection() -> None:
        try:
            with transaction.atomic():
                model.objects.select_for_update(nowait=True).get(pk=pk)  # type: ignore[attr-defined]
            answer.append(True)
        except DatabaseError:
            answer.append(False)
        finally:
            connection.close()

    thread = threading.Thread(target=other_connection)
    thread.start()
    thread.join(timeout=30)
    return answer[0]


def holding(lock: Callable[[], object], check: Callable[[], dict[str, bool]]) -> dict[str, bool]:
    with transaction.atomic():
        lock()
        return check()


def test_a_named_contact_change_locks_the_change_and_its_license_only(
    license, technical, participant, manager
):
    organization = license.organization
    change = customer_actions.request_named_contact(technical, license.sen, email=participant.email)

    def lock() -> None:
        customer_actions._locked_change(manager, change.pk)
        customer_queries.find_license(license.sen, lock=True)

    free = holding(
        lock,
        lambda: {
            "license": lockable_meanwhile(License, license.pk),
            "organization": lockable_meanwhile(Organization, organization.pk),
            "offering": lockable_meanwhile(Offering, license.offering_id),
        },
    )

    assert free == {"license": False, "organization": True, "offering": True}


def test_a_ticket_change_locks_the_ticket_only(contact, license, ticket):
    free = holding(
        lambda: ticket_actions._ticket_for_change(contact, ticket.key),
        lambda: {
            "ticket": lockable_meanwhile(Ticket, ticket.pk),
            "license": lockable_meanwhile(License, license.pk),
            "organization": lockable_meanwhile(Organization, license.organization_id),
        },
    )

    assert free == {"ticket": False, "license": True, "organization": True}
