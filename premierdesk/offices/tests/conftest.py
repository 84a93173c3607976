"""The follow-the-sun tests run like the ticket tests: at their NOW, attachments in each test's
folder, with the ticket fixtures of ``premierdesk.testing.fixtures`` (Northwind's license,
Grace)."""

from premierdesk.testing.fixtures import NOW, attachments_in_test_folder, frozen_at

frozen = frozen_at(NOW)
attachments_dir = attachments_in_test_folder()
