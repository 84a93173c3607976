"""Shared test set-up: the fixtures every app's tests share (``premierdesk.testing.fixtures``),
and the PostgreSQL-only tests left out of a run on SQLite."""

from __future__ import annotations

from django.db import connection

pytest_plugins = ["premierdesk.testing.fixtures"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` run in the PostgreSQL pass of `make test` only."""
    if connection.vendor == "postgresql":
        return
    selected = [item for item in items if "postgresql" not in item.keywords]
    deselected = [item for item in items if "postgresql" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
