"""A session that expires while someone types: htmx gets a 401 that sends the whole page to
sign in and back, a plain POST is sent to sign in and back to the page it came from, and a
CSRF refusal is one of our pages; the text typed is kept by static/premierdesk/drafts.js."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TICKET_PAGE = "http://testserver/tickets/PS-1/"
COMMENT = "/tickets/PS-1/comments/"


def next_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == reverse("accounts:sign-in")
    return parse_qs(parts.query)["next"][0]


def test_htmx_request_signed_out_sends_the_whole_page_to_sign_in_and_back(client):
    response = client.post(
        COMMENT, {"body": "typed"}, headers={"HX-Request": "true", "HX-Current-URL": TICKET_PAGE}
    )
    assert response.status_code == 401
    assert next_of(response.headers["HX-Redirect"]) == "/tickets/PS-1/"
    # Nothing for htmx to swap into the ticket page (no nested header and footer).
    assert b"<header" not in response.content


def test_htmx_next_is_never_another_site(client):
    response = client.post(
        COMMENT,
        {"body": "typed"},
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/phish"},
    )
    assert response.status_code == 401
    assert next_of(response.headers["HX-Redirect"]) == COMMENT


def test_plain_post_signed_out_goes_back_to_the_page_it_came_from(client):
    response = client.post(COMMENT, {"body": "typed"}, headers={"Referer": TICKET_PAGE})
    assert response.status_code == 302
    assert next_of(response.url) == "/tickets/PS-1/"


def test_plain_get_signed_out_comes_back_to_itself(client):
    response = client.get("/accounts/tokens/?page=2")
    assert next_of(response.url) == "/accounts/tokens/?page=2"


def test_csrf_refusal_is_our_page_and_keeps_the_text(named_contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(named_contact)
    response = client.post(COMMENT, {"body": "typed"}, headers={"Referer": TICKET_PAGE})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="brand"' in html  # the base layout
    assert "This form had expired" in html
    assert "data-keeps-drafts" in html  # drafts.js keeps what was typed for the way back
    assert 'href="/tickets/PS-1/"' in html


def test_csrf_refusal_of_an_htmx_request_sends_the_page_to_our_page(named_contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(named_contact)
    response = client.post(
        COMMENT, {"body": "typed"}, headers={"HX-Request": "true", "HX-Current-URL": TICKET_PAGE}
    )
    assert response.status_code == 403
    target = urlsplit(response.headers["HX-Redirect"])
    assert target.path == reverse("pages:form-expired")
    assert parse_qs(target.query)["next"] == ["/tickets/PS-1/"]
    page = client.get(response.headers["HX-Redirect"])
    assert "This form had expired" in page.content.decode()
    assert 'href="/tickets/PS-1/"' in page.content.decode()


def test_every_page_loads_the_draft_keeper_and_sign_in_keeps_drafts(client):
    html = client.get(reverse("accounts:sign-in")).content.decode()
    assert "premierdesk/drafts.js" in html
    assert "data-keeps-drafts" in html
