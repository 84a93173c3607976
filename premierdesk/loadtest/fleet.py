"""The scale-out deployment for ``premierdesk loadtest --scale-out``: several ``premierdesk
serve``, ``worker`` and ``scheduler`` processes on one database, as a team that outgrows one
machine runs them. Each is the ordinary command in a child process, its log under the run's
folder; e-mail goes to files there, so the check can count each message written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from premierdesk.web.ports import port_problem

STARTUP_SECONDS = 60
STOP_SECONDS = 15


class FleetError(Exception):
    """A process of the fleet could not start or stopped on its own."""


@dataclass
class Fleet:
    folder: Path
    port: int
    copies: int = 2
    web_workers: int = 2
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def hosts(self) -> list[str]:
        return [f"http://127.0.0.1:{self.port + n}" for n in range(self.copies)]

    @property
    def mail_dir(self) -> Path:
        return self.folder / "mail"

    def start(self) -> None:
        for n in range(self.copies):
            problem = port_problem("127.0.0.1", self.port + n)
            if problem:
                raise FleetError(problem)
        me = [sys.executable, "-m", "premierdesk"]
        for n in range(self.copies):
            port = str(self.port + n)
            serve = [*me, "serve", "--port", port, "--workers", str(self.web_workers)]
            self._spawn(f"web{n + 1}", serve)
            self._spawn(f"worker{n + 1}", [*me, "worker"])
            self._spawn(f"scheduler{n + 1}", [*me, "scheduler"])
        self._wait_until_up()

    def _spawn(self, name: str, command: list[str]) -> None:
        (self.folder / "log").mkdir(parents=True, exist_ok=True)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        log = self.folder / "log" / f"{name}.log"
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PREMIERDESK_LOG_FILE": str(log),
            "EMAIL_URL": f"file://{self.mail_dir}",
            # Every process writes the same links, whichever server a person used.
            "SITE_URL": os.environ.get("SITE_URL") or self.hosts[0],
        }
        with log.open("ab") as output:
            self.children[name] = subprocess.Popen(  # noqa: S603 - our own command
                command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        waiting = list(self.hosts)
        while waiting and time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"{waiting[0]}/health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        waiting.pop(0)
                        continue
            except OSError:
                pass
            time.sleep(0.3)
        if waiting:
            raise FleetError(f"{waiting[0]} did not answer within {STARTUP_SECONDS} s.")

    def check_alive(self) -> None:
        for name, child in self.children.items():
            if child.poll() is not None:
                log = self.folder / "log" / f"{name}.log"
                raise FleetError(f"{name} stopped (exit status {child.returncode}); see {log}.")

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
