"""premierdesk changepassword: set an account's password through the audited action, so it
ends the account's sessions and revokes its API tokens like every other password change."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from premierdesk.accounts.actions import set_password
from premierdesk.accounts.models import User, normalize_email
from premierdesk.lib.errors import ActionError

ATTEMPTS = 3


class Command(BaseCommand):
    help = (
        "Set the password of the account with this e-mail address. Like a change on the "
        "pages, it signs the account out everywhere and revokes its API tokens (audited)."
    )
    requires_migrations_checks = True
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The e-mail address the person signs in with.")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {normalize_email(email)}.")
        self.stdout.write(f"Changing the password of {user.email}")
        for _ in range(ATTEMPTS):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match. Try again.")
                continue
            try:
                revoked = set_password(None, user, password)
            except ActionError as refusal:
                self.stderr.write(refusal.detail)
                continue
            self.stdout.write(
                f"Password changed for {user.email}: signed out everywhere; "
                f"{revoked} API token(s) revoked."
            )
            return
        raise CommandError(f"Too many attempts; the password of {user.email} is unchanged.")
