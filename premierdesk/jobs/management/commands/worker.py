"""premierdesk worker: run queued background jobs (django-tasks' database worker)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued background jobs until stopped. Start more workers to go faster."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        extra = ["--batch"] if batch else []
        call_command(
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            str(interval),
            "--no-reload",
            *extra,
        )
