"""premierdesk up: the whole service for trying it out: migrate, demo data if the database is
empty, then the web server, the worker and the scheduler together until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from premierdesk.demo import world
from premierdesk.demo.management.commands.demo import format_sign_ins
from premierdesk.web.ports import port_problem

STARTUP_TIMEOUT_SECONDS = 60


class Command(BaseCommand):
    help = "Run the whole service (web server, worker, scheduler) with demo data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if world.is_empty():
            world.load()
            self.stdout.write("Loaded demo data into the new database.")
        children = self._start(host, port)
        interrupted = False
        try:
            self._wait_until_up(host, port, children)
            self._announce(host, port)
            interrupted = self._supervise(children)
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
        # goes to a file or a pipe.
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # Links in e-mail point at the address this run prints.
        env.setdefault("SITE_URL", f"http://{host}:{port}")
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

    def _announce(self, host: str, port: int) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Premier Desk is running at http://{host}:{port}/"))
        self.stdout.write(f"  API documentation: http://{host}:{port}/api/v1/docs")
        self.stdout.write(f"  Administration:    http://{host}:{port}/admin/")
        sign_ins = world.sign_ins()
        if sign_ins:
            self.stdout.write(format_sign_ins(sign_ins))
        self.stdout.write("Web server, worker and scheduler are running. Press Ctrl-C to stop.")

    def _supervise(self, children: dict[str, subprocess.Popen[bytes]]) -> bool:
        """Wait for Ctrl-C or SIGTERM; True when it was Ctrl-C, which the terminal has already
        sent to every child as well."""
        received: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            received.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not received:
            self._check_alive(children)
            time.sleep(0.5)
        self.stdout.write("Stopping…")
        return received[0] == signal.SIGINT

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
