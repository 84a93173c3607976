"""`premierdesk up` (what `make run` runs): the whole service starts, prints how to use it (and
nothing routine after that: the processes' logs go to var/log/), and Ctrl-C stops every process
it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from premierdesk.demo.world import DEMO_PASSWORD, SIGN_INS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_line(log: Path, text: str, process: subprocess.Popen[bytes], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = log.read_text()
        if text in output:
            return output
        assert process.poll() is None, f"`premierdesk up` exited early:\n{output[-3000:]}"
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared:\n{log.read_text()[-3000:]}")


def grows_past(
    path: Path, size: int, text: str, process: subprocess.Popen[bytes], timeout: float
) -> str:
    """Wait until ``text`` is written to ``path`` past its first ``size`` bytes; the new part."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = path.read_bytes()[size:].decode() if path.exists() else ""
        if text in new:
            return new
        assert process.poll() is None, "`premierdesk up` exited early"
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never reached {path}:\n{new[-3000:]}")


def pids_in_group(group: int) -> list[int]:
    result = subprocess.run(["ps", "-eo", "pid=,pgid="], capture_output=True, text=True, check=True)  # noqa: S607
    return [
        int(pid)
        for pid, pgid in (line.split() for line in result.stdout.splitlines())
        if int(pgid) == group
    ]


def test_up_runs_everything_and_ctrl_c_stops_it(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ALLOWED_HOSTS", "DEBUG", "SECRET_KEY", "SITE_URL"}
        and key not in {"EMAIL_URL", "HOST"}
    }
    env.update(PREMIERDESK_VAR_DIR=str(tmp_path), PORT=str(port))
    log = tmp_path / "up.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "premierdesk", "up"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        output = wait_for_line(log, "Press Ctrl-C to stop", process, timeout=180)
        assert f"Premier Desk is running at http://127.0.0.1:{port}/" in output
        assert DEMO_PASSWORD in output
        for _, email in SIGN_INS:
            assert email in output
        logs = tmp_path / "log"
        assert f"Logs:              {logs}/" in output
        # The worker, the scheduler and the web server write to their own files, not here.
        grows_past(
            logs / "scheduler.log",
            0,
            "enqueued premierdesk.jobs.tasks.prune_finished_jobs",
            process,
            30,
        )
        grows_past(logs / "worker.log", 0, "Starting worker", process, 30)
        grows_past(logs / "web.log", 0, "Booting worker", process, 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/sign-in/") as page:
            assert b"Sign in" in page.read()
        grows_past(logs / "web.log", 0, "GET /accounts/sign-in/", process, 10)
        assert (tmp_path / "premierdesk.sqlite3").exists()

        # Once the demo's e-mail is out, the banner comes again, last: nothing buries it.
        output = wait_for_line(log, "Everything is ready", process, timeout=180)
        ready = output.index("Everything is ready")
        assert output.rfind("Premier Desk is running at") > ready
        assert f"E-mail goes to:    files in {tmp_path / 'mail'}" in output[ready:]
        outbox = f"http://127.0.0.1:{port}/admin/notifications/outboxmessage/"
        assert outbox in output[ready:]
        # The demo's mail went to files, not to the terminal, with links to this port.
        assert "Subject:" not in output
        mail = "".join(path.read_text() for path in (tmp_path / "mail").iterdir())
        assert "Subject:" in mail
        assert f"http://127.0.0.1:{port}/" in mail
        assert "127.0.0.1:8000" not in mail

        # After the second banner, a round of the scheduler's and the worker's routine work and
        # pages served (a visitor's 404 too) print nothing: the banner stays last.
        deadline = time.monotonic() + 5
        while "Press Ctrl-C to stop" not in output[ready:]:
            assert time.monotonic() < deadline, output[ready:]
            time.sleep(0.2)
            output = log.read_text()
        sizes = {name: (logs / name).stat().st_size for name in ("scheduler.log", "worker.log")}
        grows_past(logs / "scheduler.log", sizes["scheduler.log"], "enqueued", process, 45)
        grows_past(logs / "worker.log", sizes["worker.log"], "state=SUCCESSFUL", process, 15)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as health:
            assert health.status == 200
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/")
        assert not_found.value.code == 404
        grows_past(logs / "web.log", 0, "Not Found: /no-such-page/", process, 10)
        time.sleep(1)
        after_banner = log.read_text()[output.rindex("Press Ctrl-C to stop") :]
        assert after_banner.strip() == "Press Ctrl-C to stop.", after_banner
        # Not even the start-up's: the /health polling, gunicorn's and the worker's greetings.
        for routine in ("GET /health", "Booting worker", "Starting worker", "Scheduler started"):
            assert routine not in output
        # An error still shows where the service was started.
        wrong_host = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Host": "wrong.example"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong_host)  # noqa: S310 (an http:// address above)
        assert refused.value.code == 400
        wait_for_line(log, "Invalid HTTP_HOST header: 'wrong.example'", process, timeout=10)

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while pids_in_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pids_in_group(process.pid) == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
