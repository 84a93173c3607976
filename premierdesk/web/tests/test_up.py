"""`premierdesk up` (what `make run` runs): the whole service starts, prints how to use it, and
Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
        output = wait_for_line(log, "Press Ctrl-C to stop", process, timeout=90)
        assert f"Premier Desk is running at http://127.0.0.1:{port}/" in output
        assert DEMO_PASSWORD in output
        for _, email in SIGN_INS:
            assert email in output
        # The worker and the scheduler announce themselves on their own schedule.
        wait_for_line(log, "enqueued premierdesk.jobs.tasks.prune_finished_jobs", process, 30)
        wait_for_line(log, "Starting worker", process, 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/sign-in/") as page:
            assert b"Sign in" in page.read()
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

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while pids_in_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pids_in_group(process.pid) == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
