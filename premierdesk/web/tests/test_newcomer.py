"""A newcomer's first minutes: links follow the port the service listens on, the How do I
page never bakes an address in, and a command on a database without tables says to migrate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from premierdesk.customers.models import Organization
from premierdesk.lib.config import email_settings
from premierdesk.spaces.queries import how_do_i_text
from premierdesk.web.ports import follow_listening_address

REPO_ROOT = Path(__file__).resolve().parents[3]


def run_premierdesk(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command with fixed arguments
        [sys.executable, "-m", "premierdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )


def fresh_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    outer = {"DATABASE_URL", "SITE_URL", "PORT", "HOST", "EMAIL_URL"}
    env = {key: value for key, value in os.environ.items() if key not in outer}
    env.update(PREMIERDESK_VAR_DIR=str(tmp_path), PYTHONPATH=str(REPO_ROOT), **extra)
    return env


PRINT_SITE_URL = [
    "shell",
    "-v",
    "0",
    "-c",
    "from django.conf import settings; print(settings.SITE_URL)",
]


def test_site_url_follows_the_port_unless_set(tmp_path):
    assert run_premierdesk(PRINT_SITE_URL, fresh_env(tmp_path, PORT="8001")).stdout.strip() == (
        "http://127.0.0.1:8001"
    )
    explicit = fresh_env(tmp_path, PORT="8001", SITE_URL="https://desk.example.com/")
    assert run_premierdesk(PRINT_SITE_URL, explicit).stdout.strip() == "https://desk.example.com"


def test_serve_and_up_make_links_follow_their_port(monkeypatch, settings):
    monkeypatch.delenv("SITE_URL", raising=False)
    settings.SITE_URL_FROM_ENVIRONMENT = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    follow_listening_address("127.0.0.1", 8001)
    assert settings.SITE_URL == "http://127.0.0.1:8001"
    assert os.environ["SITE_URL"] == "http://127.0.0.1:8001"  # for the worker and scheduler
    follow_listening_address("0.0.0.0", 8002)  # noqa: S104 - every interface; links say localhost
    assert settings.SITE_URL == "http://127.0.0.1:8002"


def test_an_explicit_site_url_is_kept(monkeypatch, settings):
    monkeypatch.setenv("SITE_URL", "https://desk.example.com")
    settings.SITE_URL_FROM_ENVIRONMENT = True
    settings.SITE_URL = "https://desk.example.com"
    follow_listening_address("127.0.0.1", 8001)
    assert settings.SITE_URL == "https://desk.example.com"


@pytest.mark.django_db  # the text states today's service policy
def test_how_do_i_links_do_not_bake_in_the_address():
    text = how_do_i_text(Organization(name="Acme Rail", slug="acme-rail"))
    assert settings.SITE_URL not in text
    assert "://" not in text.replace("tel:", "")
    assert "(/portal/tickets/new/)" in text
    assert "(/portal/licenses/)" in text


def test_mail_file_url_may_be_relative():
    assert email_settings("file://var/mail")["EMAIL_FILE_PATH"] == "var/mail"
    assert email_settings("file:///srv/mail")["EMAIL_FILE_PATH"] == "/srv/mail"


@pytest.mark.parametrize(
    "args",
    [
        [
            "sla",
            "due",
            "--offering",
            "premier",
            "--level",
            "L2",
            "--product",
            "bitbucket",
            "--opened",
            "2027-03-26T16:50:00-07:00",
        ],
        ["rota", "who"],
        ["contacts", "SEN-1234567"],
    ],
)
def test_commands_on_a_database_without_tables_say_to_migrate(tmp_path, args):
    result = run_premierdesk(args, fresh_env(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "The database has no tables yet: run `premierdesk migrate` first "
        "(or `premierdesk up`, which also loads demo data)."
    ]
