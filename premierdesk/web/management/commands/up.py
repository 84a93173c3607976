"""premierdesk up: the whole service for trying it out: migrate, demo data if the database is
empty, then the web server, the worker and the scheduler together until Ctrl-C. Links follow the
port it listens on; e-mail goes to files under var/mail/ unless EMAIL_URL says otherwise; the
address and sign-ins are printed when the server answers and again once the worker has sent
the mail waiting in the outbox (the demo's), so they end up at the bottom of the terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from argparse import ArgumentParser
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from premierdesk.demo import world
from premierdesk.demo.management.commands.demo import format_sign_ins
from premierdesk.lib.config import email_settings
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage
from premierdesk.web.ports import follow_listening_address, port_problem

STARTUP_TIMEOUT_SECONDS = 60
# The banner is printed again once the outbox is empty, or after this long whatever happens.
SETTLE_TIMEOUT_SECONDS = 180
SETTLE_POLL_SECONDS = 2.0


class Command(BaseCommand):
    help = "Run the whole service (web server, worker, scheduler) with demo data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
        # Before the demo is loaded: its e-mail and pages are written with these links.
        follow_listening_address(host, port)
        mail_to = self._keep_mail_out_of_the_terminal()
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if world.is_empty():
            world.load()
            self.stdout.write("Loaded demo data into the new database.")
        children = self._start(host, port)
        interrupted = False
        try:
            self._wait_until_up(host, port, children)
            self._announce(host, port, mail_to)
            interrupted = self._supervise(
                children, lambda: self._announce_ready(host, port, mail_to)
            )
        finally:
            self._stop(children, interrupted=interrupted)

    def _start(self, host: str, port: int) -> dict[str, subprocess.Popen[bytes]]:
        me = [sys.executable, "-m", "premierdesk"]
        commands = {
            "web": [*me, "serve", "--host", host, "--port", str(port)],
            "worker": [*me, "worker"],
            "scheduler": [*me, "scheduler"],
        }
        # Unbuffered, so each process's messages show up as they happen even when the output
        # goes to a file or a pipe. SITE_URL and EMAIL_URL are in os.environ already.
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        return {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}  # noqa: S603

    def _wait_until_up(
        self, host: str, port: int, children: dict[str, subprocess.Popen[bytes]]
    ) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        url = f"http://{host}:{port}/health"
        while time.monotonic() < deadline:
            self._check_alive(children)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise CommandError(f"The web server did not answer at {url} within a minute.")

    def _keep_mail_out_of_the_terminal(self) -> str:
        """Unless EMAIL_URL is set, the worker writes e-mail to files under var/mail/ instead
        of printing every message; returns where mail goes, for the banner."""
        if os.environ.get("EMAIL_URL"):
            scheme = os.environ["EMAIL_URL"].split(":", 1)[0]
            path = email_settings(os.environ["EMAIL_URL"])["EMAIL_FILE_PATH"]
            return f"files in {path}" if path else f"EMAIL_URL ({scheme})"
        mail_dir = settings.VAR_DIR / "mail"
        os.environ["EMAIL_URL"] = f"file://{mail_dir}"
        return f"files in {mail_dir} (one per message; set EMAIL_URL=smtp://… to send it)"

    def _announce(self, host: str, port: int, mail_to: str) -> None:
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Premier Desk is running at {site}/"))
        if site != f"http://{host}:{port}":
            self.stdout.write(f"  Listening on:      http://{host}:{port}/")
        self.stdout.write(f"  API documentation: {site}/api/v1/docs")
        self.stdout.write(f"  Administration:    {site}/admin/")
        self.stdout.write(f"  E-mail goes to:    {mail_to}")
        outbox = reverse("admin:notifications_outboxmessage_changelist")
        self.stdout.write(f"  Recent e-mail:     {site}{outbox} (administrators)")
        sign_ins = world.sign_ins()
        if sign_ins:
            self.stdout.write(format_sign_ins(sign_ins))
        self.stdout.write("Web server, worker and scheduler are running. Press Ctrl-C to stop.")

    def _announce_ready(self, host: str, port: int, mail_to: str) -> None:
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Everything is ready: the e-mail waiting to go out is sent.")
        )
        self._announce(host, port, mail_to)

    def _supervise(
        self, children: dict[str, subprocess.Popen[bytes]], when_settled: Callable[[], None]
    ) -> bool:
        """Wait for Ctrl-C or SIGTERM, calling ``when_settled`` once the outbox is empty;
        True when it was Ctrl-C, which the terminal has already sent to every child as well."""
        received: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            received.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Nothing waiting (no demo just loaded): the banner printed already is the last word.
        settle_by = time.monotonic() + SETTLE_TIMEOUT_SECONDS if self._mail_waiting() else 0.0
        next_look = 0.0
        while not received:
            self._check_alive(children)
            if settle_by and time.monotonic() >= next_look:
                next_look = time.monotonic() + SETTLE_POLL_SECONDS
                if time.monotonic() >= settle_by or not self._mail_waiting():
                    settle_by = 0.0
                    when_settled()
            time.sleep(0.5)
        self.stdout.write("Stopping…")
        return received[0] == signal.SIGINT

    def _mail_waiting(self) -> bool:
        return OutboxMessage.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        ).exists()

    def _check_alive(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        for name, child in children.items():
            if child.poll() is not None:
                raise CommandError(
                    f"The {name} process stopped (exit status {child.returncode}); see its "
                    "messages above. Stopping the others."
                )

    def _stop(self, children: dict[str, subprocess.Popen[bytes]], *, interrupted: bool) -> None:
        if interrupted:
            # Let them finish the shutdown Ctrl-C started; a second signal would turn
            # gunicorn's quick exit into a slow graceful one.
            self._wait(children, seconds=5)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        self._wait(children, seconds=15)
        for child in children.values():
            if child.poll() is None:
                child.kill()

    def _wait(self, children: dict[str, subprocess.Popen[bytes]], *, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                return
