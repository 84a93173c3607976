"""The web shell: who lands where, navigation per role, offline assets, time zones."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.urls import reverse

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.web.ports import port_problem

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/", "/portal/", "/console/", "/console/audit/", "/accounts/tokens/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))


def test_each_person_lands_in_their_area(as_user, named_contact, engineer_sydney):
    assert as_user(named_contact).get("/").url == "/portal/"
    assert as_user(engineer_sydney).get("/").url == "/console/"
    assert as_user(engineer_sydney).get("/portal/").url == "/console/"


def test_customers_never_see_the_console(as_user, named_contact):
    response = as_user(named_contact).get("/console/")
    assert response.status_code == 403
    assert "Only Premier Support staff can see this." in response.content.decode()


def test_navigation_depends_on_the_role(as_user, named_contact, engineer_sydney, administrator):
    portal = as_user(named_contact).get("/portal/").content.decode()
    assert "Audit trail" not in portal
    assert "Administration" not in portal
    assert "Northwind Logistics" in portal
    console = as_user(engineer_sydney).get("/console/").content.decode()
    # The audit trail is for support managers and administrators (docs/access.md).
    assert "Audit trail" not in console
    assert "Ticket queue" in console
    assert "Administration" not in console
    admin_console = as_user(administrator).get("/console/").content.decode()
    assert "Administration" in admin_console
    assert "Audit trail" in admin_console


@pytest.mark.parametrize(
    "role",
    [Role.SUPPORT_MANAGER, Role.ESCALATION_MANAGER, Role.ENTERPRISE_MANAGER, Role.DEVELOPER],
)
def test_every_staff_role_reaches_the_console(as_user, role):
    person = UserFactory.create(role=role)
    page = as_user(person).get("/console/")
    assert page.status_code == 200
    assert person.get_role_display().lower() in page.content.decode()


def test_htmx_is_served_by_the_app_not_a_cdn(as_user, named_contact):
    page = as_user(named_contact).get("/portal/").content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in page
    assert "https://" not in page.split("<body")[0]
    assert finders.find("django_htmx/htmx-2.min.js")


def test_static_files_are_served_in_production_mode(client, settings):
    settings.DEBUG = False
    response = client.get("/static/premierdesk/site.css")
    assert response.status_code == 200
    assert b"Premier Desk" in b"".join(response.streaming_content)


def test_times_are_shown_in_the_persons_time_zone(as_user, engineer_sydney, administrator):
    from premierdesk.accounts import actions

    engineer_sydney.time_zone = "Australia/Sydney"
    engineer_sydney.save()
    token, _ = actions.create_api_token(engineer_sydney, "tz check")
    token.created_at = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 10:30 next day in Sydney
    token.save()
    page = as_user(engineer_sydney).get("/accounts/tokens/").content.decode()
    assert "2026-01-16 10:30" in page


def test_health_endpoint_answers_without_sign_in(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_busy_port_gets_one_clear_sentence():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        problem = port_problem("127.0.0.1", port)
        assert problem is not None
        assert f"Port {port} on 127.0.0.1 is already in use" in problem
        assert f"PORT={port + 1} make run" in problem
        with pytest.raises(CommandError, match="already in use"):
            call_command("serve", "--port", str(port))


def test_free_port_has_no_problem():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert port_problem("127.0.0.1", port) is None


def test_a_favicon_is_linked_and_served(client, as_user, named_contact, settings):
    settings.DEBUG = False
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    page = as_user(named_contact).get("/portal/").content.decode()
    head = page.split("</head>", 1)[0]
    assert '<link rel="icon" href="/favicon.ico"' in head
    assert '<link rel="icon" href="/static/premierdesk/favicon.svg" type="image/svg+xml">' in head
    svg = client.get("/static/premierdesk/favicon.svg")
    assert svg.status_code == 200
    assert b"<svg" in b"".join(svg.streaming_content)
