"""Security headers on pages and API, the deployment check, templates without inline script
or style (what the Content-Security-Policy forbids), and links in e-mail from SITE_URL."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from premierdesk.accounts.tests.factories import FACTORY_PASSWORD

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


def assert_security_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_signed_in_pages_carry_the_headers_and_are_never_stored(as_user, named_contact):
    response = as_user(named_contact).get("/portal/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response.headers["Cache-Control"]
    # htmx would add its indicator styles as an inline <style>, which the policy refuses.
    assert '"includeIndicatorStyles": false' in response.content.decode()


def test_the_sign_in_page_carries_the_headers(client):
    response = client.get(reverse("accounts:sign-in"))
    assert_security_headers(response)


def test_the_token_response_is_never_stored(client, engineer_sydney):
    response = client.post(
        "/api/v1/auth/token",
        {"email": engineer_sydney.email, "password": FACTORY_PASSWORD, "name": "ci"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert_security_headers(response)
    assert "no-store" in response.headers["Cache-Control"]


def test_the_tokens_page_showing_a_new_secret_is_never_stored(as_user, engineer_sydney):
    response = as_user(engineer_sydney).post(reverse("accounts:tokens"), {"name": "laptop"})
    assert response.status_code == 200
    assert "pd_" in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]


def test_api_answers_carry_the_headers(as_user, engineer_sydney):
    response = as_user(engineer_sydney).get("/api/v1/auth/me")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response.headers["Cache-Control"]


def test_check_deploy_is_clean_behind_https(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        SECURE_COOKIES="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        PREMIERDESK_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="desk.example.com",
        PYTHONPATH=str(PACKAGE.parent),
    )
    result = subprocess.run(
        [sys.executable, "-m", "premierdesk", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


# What a Content-Security-Policy without 'unsafe-inline' refuses to run or apply.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def test_templates_have_no_inline_script_handlers_or_style():
    templates = sorted(PACKAGE.glob("*/templates/**/*.html"))
    assert len(templates) > 50
    found = []
    for template in templates:
        # Template tags are not HTML (`{% include … style="danger" %}` names a variable).
        html = TEMPLATE_TAG.sub("", template.read_text())
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            name = template.relative_to(PACKAGE)
            found += [f"{name}: {match.group(0)}" for match in pattern.finditer(html)]
    assert found == []


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:9999"])
def test_password_reset_links_start_with_site_url_whatever_the_host(
    client, named_contact, deliver_mail, settings, host
):
    settings.ALLOWED_HOSTS = ["evil.example", "127.0.0.1"]
    settings.SITE_URL = "https://desk.example.com"
    client.post(reverse("accounts:password-reset"), {"email": named_contact.email}, HTTP_HOST=host)
    deliver_mail()
    (message,) = mail.outbox
    links = re.findall(r"https?://\S+", str(message.body))
    assert links
    assert all(link.startswith("https://desk.example.com/accounts/") for link in links), links


def test_template_comments_stay_on_one_line():
    """A ``{# #}`` comment spanning lines is not a comment: Django prints it on the page."""
    broken = [
        f"{template.relative_to(PACKAGE)}:{number}"
        for template in sorted(PACKAGE.glob("*/templates/**/*.html"))
        for number, line in enumerate(template.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert broken == []
