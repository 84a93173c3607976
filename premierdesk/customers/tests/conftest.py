"""Fixtures of the customers tests: Northwind's license SEN-1234567 without products (the
named-contact rules need none), with its enterprise manager and its primary technical contact
(``manager``, ``technical``: ``premierdesk.testing.fixtures``)."""

from __future__ import annotations

import pytest

from premierdesk.testing.fixtures import northwind_license


@pytest.fixture
def license(northwind, manager):
    return northwind_license(northwind, manager, "SEN-1234567")
