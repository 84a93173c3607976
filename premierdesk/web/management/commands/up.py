"""premierdesk up: the whole service for trying it out: migrate, demo data if the database is
empty, then the web server, the worker and the scheduler together until Ctrl-C. Links follow the
port it listens on; e-mail goes to files under var/mail/ unless EMAIL_URL says otherwise; each
process's log goes to a file under var/log/, only warnings and errors to the terminal too. The
address and sign-ins are printed when the server answers and again once the worker has sent
the mail waiting in the outbox (the demo's), so they end up at the bottom of the terminal, with
nothing routine printed after them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
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
PROCESSES = ("web", "worker", "scheduler")


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
        children = self._start(host, port, self._log_dir())
        interrupted = False
        try:
            self._wait_until_up(host, port, children)
            self._announce(host, port, mail_to)
            interrupted = self._supervise(
                children, lambda: self._announce_ready(host, port, mail_to)
            )
        finally:
            self._stop(children, interrupted=interrupted)

    def _log_dir(self) -> Path:
        log_dir = settings.VAR_DIR / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        return log_dir

    def _start(self, host: str, port: int, log_dir: Path) -> dict[str, subprocess.Popen[bytes]]:
        me = [sys.executable, "-m", "premierdesk"]
        commands = {
            "web": [*me, "serve", "--host", host, "--port", str(port)],
            "worker": [*me, "worker"],
            "scheduler": [*me, "scheduler"],
        }
        children = {}
        for name, command in commands.items():
            log_file = log_dir / f"{name}.log"
            # Unbuffered, so each process's messages show up as they happen. What a process
            # prints goes to its file, as its logging does (PREMIERDESK_LOG_FILE); warnings,
            # errors and tracebacks go to stderr, the terminal, as well. SITE_URL and EMAIL_URL
            # are in os.environ already.
            env = {**os.environ, "PYTHONUNBUFFERED": "1", "PREMIERDESK_LOG_FILE": str(log_file)}
            with log_file.open("ab") as output:  # the child keeps its own copy open
                children[name] = subprocess.Popen(command, env=env, stdout=output)  # noqa: S603
        return children

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

    def _announce(self, host: str, port: int, mail_to: str, *, heading: str = "") -> None:
        site = settings.SITE_URL
        lines = [""]
        if heading:
            lines += [self.style.SUCCESS(heading), ""]
        lines.append(self.style.SUCCESS(f"Premier Desk is running at {site}/"))
        if site != f"http://{host}:{port}":
            lines.append(f"  Listening on:      http://{host}:{port}/")
        lines.append(f"  API documentation: {site}/api/v1/docs")
        lines.append(f"  Administration:    {site}/admin/")
        lines.append(f"  E-mail goes to:    {mail_to}")
        outbox = reverse("admin:notifications_outboxmessage_changelist")
        lines.append(f"  Recent e-mail:     {site}{outbox} (administrators)")
        logs = ", ".join(f"{name}.log" for name in PROCESSES)
        lines.append(
            f"  Logs:              {settings.VAR_DIR / 'log'}/ ({logs}; "
            "warnings and errors show here too)"
        )
        sign_ins = world.sign_ins()
        if sign_ins:
            lines.append(format_sign_ins(sign_ins))
        lines.append("Web server, worker and scheduler are running. Press Ctrl-C to stop.")
        # One write, so that a warning from another process cannot land inside the banner.
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    def _announce_ready(self, host: str, port: int, mail_to: str) -> None:
        heading = "Everything is ready: the e-mail waiting to go out is sent."
        self._announce(host, port, mail_to, heading=heading)

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
                    f"messages above and in {settings.VAR_DIR / 'log' / name}.log. "
                    "Stopping the others."
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
