"""A real ``premierdesk serve`` on a fresh SQLite database in a temporary folder, holding the
small world of ``world.py`` and its manifest (or a small ``premierdesk bench-data`` dataset,
the one the load test is meant to run on), for the load test to run against."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
# The outer environment's deployment settings stay out: the server gets its own database.
OUTER = ("DATABASE_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_COOKIES", "EMAIL_URL")
BUILD_WORLD = "import django; django.setup(); from premierdesk.loadtest.tests import world; "
BUILD_WORLD += "world.build(agents=2, customers=4, tickets_per_customer=6)"
BENCH_TICKETS = 2000  # about 60 open: every load-test license has one or more


@dataclass(frozen=True)
class Server:
    url: str
    env: dict[str, str]
    var_dir: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run(  # noqa: S603 - our own command
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=120
        )
    if done.returncode:
        pytest.fail(f"{' '.join(command[2:])} failed:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _serving(tmp_path_factory, [sys.executable, "-c", BUILD_WORLD])


@pytest.fixture(scope="module")
def bench_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    build = [sys.executable, "-m", "premierdesk", "bench-data", f"--tickets={BENCH_TICKETS}"]
    yield from _serving(tmp_path_factory, build)


def _serving(tmp_path_factory: pytest.TempPathFactory, build: list[str]) -> Iterator[Server]:
    var_dir = tmp_path_factory.mktemp("loadtest")
    env = {k: v for k, v in os.environ.items() if k not in OUTER}
    env.update(
        PREMIERDESK_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'load.sqlite3'}",
        DJANGO_SETTINGS_MODULE="premierdesk.settings",
        EMAIL_URL="memory://",
        PYTHONPATH=os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]),
    )
    log = var_dir / "server.log"
    _run([sys.executable, "-m", "premierdesk", "migrate", "--no-input"], env, log)
    _run(build, env, log)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "premierdesk", "serve", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(process, url, log)
        yield Server(url, env, var_dir)
    finally:
        # A throw-away server: stopped at once, with the gunicorn workers it started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    pytest.fail(f"{url} did not answer within a minute:\n{log.read_text()[-3000:]}")
