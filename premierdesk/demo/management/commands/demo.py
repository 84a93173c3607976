"""premierdesk demo: load the demo world into an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from premierdesk.demo import world


class Command(BaseCommand):
    help = "Load demo data (products, offices, engineers, customers) into an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        if not world.is_empty():
            raise CommandError(
                "The database already has accounts, so demo data was not loaded (it only goes "
                "into an empty database). Use a new DATABASE_URL to try the demo from scratch."
            )
        world.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(format_sign_ins(world.sign_ins()))


def format_sign_ins(sign_ins: list[tuple[str, str]]) -> str:
    width = max(len(role) for role, _ in sign_ins)
    lines = [f"Demo sign-ins (password for all: {world.DEMO_PASSWORD}):"]
    lines += [f"  {role:<{width}}  {email}" for role, email in sign_ins]
    return "\n".join(lines)
