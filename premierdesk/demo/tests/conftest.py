"""The demo world loaded at a fixed instant, for the tests of what it holds: Monday
2026-06-15 13:45 UTC, when Austin, São Paulo, Amsterdam and Bengaluru are on duty."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from premierdesk.demo import world

LOADED_AT = datetime(2026, 6, 15, 13, 45, tzinfo=UTC)


@pytest.fixture(scope="module")
def world_clock(django_db_setup, django_db_blocker):
    """The world, loaded once for each test module that asks (it takes a few seconds) inside
    a transaction that is rolled back at the end; each test's own transaction is a savepoint
    inside it. Module scope, not package: the tests of the ``demo`` command need an empty
    database, and they may run between two modules' tests."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    root = tempfile.mkdtemp(prefix="demo-attachments-")
    with (
        django_db_blocker.unblock(),
        fast,
        attachments_in(root),
        time_machine.travel(LOADED_AT, tick=False) as clock,
        transaction.atomic(),
    ):
        world.load()
        yield clock
        transaction.set_rollback(True)
    shutil.rmtree(root, ignore_errors=True)


def attachments_in(root: str) -> override_settings:
    """The demo's attachments (the history's log files) in a throw-away folder."""
    from django.conf import settings

    storages = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return override_settings(STORAGES=storages)


@pytest.fixture
def loaded(world_clock):
    """The loaded world at its load time; a test that moves the clock moves it back after."""
    yield world_clock
    world_clock.move_to(LOADED_AT)
