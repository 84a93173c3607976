"""Browser-test set-up: the real server (migrate, demo, gunicorn) and a headless Chromium.

The server runs as a subprocess on a fresh SQLite database in a temporary directory, so these
tests see exactly what a person running ``premierdesk serve`` sees, whatever database the
rest of the suite uses. Its clock is the real one; what a test needs that no page does (the
scheduler's handover at an end of duty, say) it runs with ``on_server``, in another process on
the same database.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10
# Deployment settings from the outer environment that would change what the server does
# (PostgreSQL instead of the throw-away SQLite file, HTTPS-only cookies, other host names).
OUTER_SETTINGS = (
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECRET_KEY",
    "DEBUG",
    "EMAIL_URL",
    "TASK_BACKEND",
)
SERVER_LOG_KEY = pytest.StashKey[Path]()

expect.set_options(timeout=15_000)


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server output)"
    return "\n".join(text.splitlines()[-lines:]) or "(no server output)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _server_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OUTER_SETTINGS}
    env.update(
        PREMIERDESK_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'browser.sqlite3'}",
        DJANGO_SETTINGS_MODULE="premierdesk.settings",
        EMAIL_URL="memory://",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(args: list[str], env: dict[str, str], log: Path) -> None:
    """Run ``python -m premierdesk <args>``, appending its output to ``log``."""
    command = [sys.executable, "-m", "premierdesk", *args]
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        try:
            result = subprocess.run(
                command,
                cwd=REPO_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=180,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"`premierdesk {' '.join(args)}` took too long:\n{_tail(log)}")
    if result.returncode != 0:
        pytest.fail(
            f"`premierdesk {' '.join(args)}` failed with exit code {result.returncode}:\n"
            f"{_tail(log)}"
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to the server's own process group."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"The server stopped (exit code {process.returncode}) before answering "
                f"{url}:\n{_tail(log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local http
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    _stop(process)
    pytest.fail(f"{url} did not answer 200 within {STARTUP_TIMEOUT_SECONDS}s:\n{_tail(log)}")


@pytest.fixture(scope="session")
def server_env(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> dict[str, str]:
    """The environment of the server and of everything run on its database."""
    var_dir = tmp_path_factory.mktemp("premierdesk-browser")
    pytestconfig.stash[SERVER_LOG_KEY] = var_dir / "server.log"
    return _server_env(var_dir)


@pytest.fixture(scope="session")
def live_url(server_env: dict[str, str], pytestconfig: pytest.Config) -> Iterator[str]:
    """Base URL (no trailing slash) of a real ``premierdesk serve`` loaded with demo data."""
    log = pytestconfig.stash[SERVER_LOG_KEY]
    env = server_env
    _manage(["migrate", "--no-input"], env, log)
    _manage(["demo"], env, log)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "premierdesk",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_healthy(process, f"{base}/health", log)
        yield base
    finally:
        _stop(process)


# Run by ``on_server`` in a fresh interpreter: call a function by its module and name with
# JSON arguments, and print its JSON answer on one marked line.
CALL_ON_SERVER = """
import importlib, json, sys
import django
django.setup()
module, name, arguments = sys.argv[1:]
answer = getattr(importlib.import_module(module), name)(*json.loads(arguments))
print("ON_SERVER " + json.dumps(answer))
"""


@pytest.fixture(scope="session")
def on_server(
    live_url: str, server_env: dict[str, str], pytestconfig: pytest.Config
) -> Callable[..., Any]:
    """``on_server(function, *args)`` calls a module-level function of a test module in
    another process on the server's database (the world the browser sees) and returns its
    answer; arguments and answer go as JSON. Its output is added to the server's log."""
    log = pytestconfig.stash[SERVER_LOG_KEY]

    def call(function: Callable[..., Any], *args: Any) -> Any:
        command = [
            sys.executable,
            "-c",
            CALL_ON_SERVER,
            function.__module__,
            function.__name__,
            json.dumps(args),
        ]
        result = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=server_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        with log.open("a") as out:
            out.write(f"$ on_server {function.__module__}.{function.__name__}{args}\n")
            out.write(result.stdout + result.stderr)
        answers = [line for line in result.stdout.splitlines() if line.startswith("ON_SERVER ")]
        if result.returncode != 0 or not answers:
            pytest.fail(
                f"{function.__name__} failed on the server's database (exit code "
                f"{result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return json.loads(answers[-1].removeprefix("ON_SERVER "))

    return call


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Add the tail of the server's output to every failing browser test's report."""
    report = yield
    log = item.config.stash.get(SERVER_LOG_KEY, None)
    if report.failed and log is not None:
        report.sections.append(("server output (tail)", _tail(log)))
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), confined to the server under test:
    any request elsewhere (a CDN, say) is refused."""
    context = browser.new_context(base_url=live_url)
    context.set_default_timeout(15_000)

    def local_only(route: Route) -> None:
        if route.request.url.startswith((live_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", local_only)
    try:
        yield context.new_page()
    finally:
        context.close()
