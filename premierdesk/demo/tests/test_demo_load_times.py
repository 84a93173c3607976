"""Whatever the day and hour the demo loads, the engineers the README names each find a
handover waiting for their acknowledgement. Each case loads the whole world (an empty
database, so not beside the shared loaded world of the other modules)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from premierdesk.accounts.models import User
from premierdesk.demo import world
from premierdesk.demo.handovers import WAITING_FOR
from premierdesk.demo.tests.conftest import attachments_in
from premierdesk.offices.mine import to_acknowledge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "loaded_at",
    [
        datetime(2026, 6, 20, 12, 0, tzinfo=UTC),  # a Saturday
        datetime(2026, 6, 16, 22, 30, tzinfo=UTC),  # Tuesday night in Europe
        datetime(2026, 6, 17, 5, 15, tzinfo=UTC),  # Wednesday morning in Sydney's evening
    ],
)
def test_whatever_the_hour_the_demo_loads_they_have_one(loaded_at, tmp_path):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with (
        fast,
        attachments_in(str(tmp_path)),
        time_machine.travel(loaded_at, tick=False),
        transaction.atomic(),
    ):
        world.load()
        for email, _, _ in WAITING_FOR:
            pending = to_acknowledge(User.objects.get(email=email), loaded_at).pending
            assert pending, f"{email} has no handover to acknowledge at {loaded_at}"
        transaction.set_rollback(True)
