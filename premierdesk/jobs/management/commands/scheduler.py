"""premierdesk scheduler: enqueue periodic jobs when they fall due. Safe to run several."""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from premierdesk.jobs.actions import enqueue_due_jobs, sync_schedule


class Command(BaseCommand):
    help = "Enqueue periodic jobs as they fall due (runs until stopped; safe to run several)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between looks (default 5)."
        )
        parser.add_argument("--once", action="store_true", help="Look once, then exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler started; looking every {interval:g} s.")
        while self.running:
            close_old_connections()
            now = timezone.now()
            sync_schedule(now)
            for name in enqueue_due_jobs(now):
                self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} UTC enqueued {name}")
            if once:
                break
            self._sleep(interval)
        self.stdout.write("Scheduler stopped.")

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
