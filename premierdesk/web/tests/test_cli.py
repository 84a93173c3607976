"""The installed `premierdesk` command runs Django's commands and adds our own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = shutil.which("premierdesk") or sys.executable
    prefix = [] if command.endswith("premierdesk") else ["-m", "premierdesk"]
    return subprocess.run(  # noqa: S603 - our own command with fixed arguments
        [command, *prefix, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        check=False,
    )


@pytest.mark.parametrize("name", ["serve", "worker", "scheduler", "up", "demo", "migrate"])
def test_help_lists_our_commands(name):
    result = run_cli("help", "--commands")
    assert result.returncode == 0, result.stderr
    assert name in result.stdout.split()


def test_unknown_command_is_one_clear_line():
    result = run_cli("fly")
    assert result.returncode != 0
    assert "Unknown command: 'fly'" in result.stderr
    assert "Traceback" not in result.stderr
