"""The ticket fixtures (Northwind's license, Grace, a ticket, engineers) for the SLA tests."""

from premierdesk.tickets.tests.conftest import (  # noqa: F401 - fixtures, found by name
    attachments_dir,
    contact,
    engineer,
    frozen,
    kestrel_ticket,
    license,
    manager,
    products,
    second_engineer,
    ticket,
)
