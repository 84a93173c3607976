"""The ticket fixtures (Northwind's license, Grace, frozen time) for the follow-the-sun tests."""

from premierdesk.tickets.tests.conftest import (  # noqa: F401 - fixtures, found by name
    attachments_dir,
    contact,
    frozen,
    license,
    manager,
    products,
)
