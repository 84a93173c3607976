"""The ticket tests run at NOW, with attachments in each test's own folder; their fixtures
(Northwind's license SEN, Grace, her ticket, Kestrel's) are ``premierdesk.testing.fixtures``."""

from __future__ import annotations

from premierdesk.testing.fixtures import (  # noqa: F401 - NOW and SEN: the tests import them here
    NOW as NOW,
    SEN as SEN,
    attachments_in_test_folder,
    frozen_at,
)

frozen = frozen_at(NOW)
attachments_dir = attachments_in_test_folder()
