"""The ticket tests run at NOW, with attachments in each test's own folder; their fixtures
(Northwind's license SEN, Grace, her ticket, Kestrel's) are ``premierdesk.testing.fixtures``."""

from __future__ import annotations

# NOW and SEN: the ticket tests import them from here.
from premierdesk.testing.fixtures import NOW as NOW
from premierdesk.testing.fixtures import SEN as SEN
from premierdesk.testing.fixtures import attachments_in_test_folder, frozen_at

frozen = frozen_at(NOW)
attachments_dir = attachments_in_test_folder()
