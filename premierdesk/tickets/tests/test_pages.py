"""The portal's ticket pages (opening form, drafts, the organization's list) and the console
queue: who reaches them, what a refusal shows, and that the queue's queries stay flat."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.tickets import actions
from premierdesk.tickets.models import Draft, Status, Ticket
from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
OPEN = "/portal/tickets/new/"
MINE = "/portal/tickets/"
DRAFTS = "/portal/drafts/"
QUEUE = "/console/tickets/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def between(html: str, start: str, end: str) -> str:
    assert start in html, f"{start!r} not in the page"
    return html.split(start, 1)[1].split(end, 1)[0]


def row_keys(html: str, table_id: str) -> list[str]:
    table = between(html, f'<table id="{table_id}">', "</table>")
    return re.findall(r'<tr id="row-(PS-\d+)">', table)


def form_data(**overrides: str) -> dict[str, str]:
    return {
        "sen": SEN,
        "product": "confluence",
        "product_version": "9.2.1",
        "environment": "production",
        "level": "L2",
        "summary": "Page edits time out",
        "description": "Saving any page takes 60 s and then fails.\nSince Monday.",
        **overrides,
    }


def test_the_form_offers_the_licenses_products_and_the_level_definitions(as_user, contact):
    html = as_user(contact).get(OPEN).content.decode()
    assert f'<option value="{SEN}" selected>{SEN} · Premier · you are a named contact' in html
    products = text(between(html, 'id="product-choice"', "</select>"))
    assert "Confluence Data Center" in products
    assert "Jira Software Data Center" in products
    assert "Bamboo" not in products  # covered, but not on this license
    assert "Opsgenie" not in products
    levels = text(between(html, 'id="open-level"', "</fieldset>"))
    assert "L1 critical Production down; users cannot work" in levels
    assert "Only for production systems." in levels
    assert "L4 low General or planning questions, and issues on non-production systems." in levels


def test_a_named_contact_opens_a_ticket_and_lands_on_it(as_user, contact):
    response = as_user(contact).post(OPEN, form_data(level="L1"), follow=True)
    ticket = Ticket.objects.get(summary="Page edits time out")
    assert response.redirect_chain == [(f"/tickets/{ticket.key}/", 302)]
    assert (ticket.level, ticket.product.slug, ticket.opened_by) == ("L1", "confluence", contact)
    assert ticket.description == "Saving any page takes 60 s and then fails.\nSince Monday."
    html = response.content.decode()
    assert f"{ticket.key} is open" in html
    assert "Now call the Premier Support phone line" in html  # L1: open first, then call
    assert not Draft.objects.exists()


def test_with_htmx_the_browser_is_sent_to_the_new_ticket(as_user, contact):
    response = as_user(contact).post(OPEN, form_data(), **HTMX)
    ticket = Ticket.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/tickets/{ticket.key}/"


def test_choosing_a_license_narrows_the_products(as_user, contact, license, products):
    other = LicenseFactory.create(organization=license.organization, sen="SEN-2000002")
    other.products.set([products["bamboo"]])
    client = as_user(contact)
    grouped = client.get(OPEN).content.decode()
    assert '<optgroup label="SEN-2000002">' in grouped  # without JS: every license's products
    narrowed = between(
        client.get(f"{OPEN}?sen=SEN-2000002").content.decode(), 'id="product-choice"', "</select>"
    )
    assert "Bamboo Data Center" in narrowed
    assert "Confluence" not in narrowed


def test_a_refusal_is_shown_beside_its_field_keeping_the_text_and_a_draft(as_user, contact):
    response = as_user(contact).post(OPEN, form_data(level="L1", environment="staging"), **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    level = between(html, 'id="open-level"', "</fieldset>")
    assert "L1 critical is for production systems that are down." in level
    assert 'value="staging" selected' in html
    assert 'value="Page edits time out"' in html
    assert "Saving any page takes 60 s and then fails.\nSince Monday.</textarea>" in html
    draft = Draft.objects.get(author=contact)
    assert draft.fields["summary"] == "Page edits time out"
    assert "Nothing you typed is lost" in html
    assert f'href="{DRAFTS}#draft-{draft.pk}"' in html
    assert not Ticket.objects.exists()


def test_someone_not_a_named_contact_is_told_who_can_and_finds_the_draft(
    as_user, contact, participant
):
    client = as_user(participant)
    response = client.post(OPEN, form_data())
    assert response.status_code == 403
    html = text(response.content.decode())
    assert "You take part in tickets others opened; to open Premier tickets, ask" in html
    assert "Nothing you typed is lost" in html
    drafts = client.get(DRAFTS).content.decode()
    draft = Draft.objects.get(author=participant)
    card = text(between(drafts, f'id="draft-{draft.pk}"', "</article>"))
    assert "Page edits time out" in card
    assert "Refused: Only the named contacts of Northwind Logistics" in card
    assert "Environment Production" in card
    assert "Product Confluence Data Center" in card
    assert 'href="mailto:?subject=Premier%20ticket%20to%20open' in drafts
    # Not a named contact: the form is not offered again, the page says why instead.
    again = client.get(f"{OPEN}?draft={draft.pk}").content.decode()
    assert 'id="not-offered"' in again
    assert 'id="open-ticket"' not in again
    assert "Open a ticket from this draft" not in drafts
    assert "Page edits time out" not in as_user(contact).get(DRAFTS).content.decode()


def test_staff_do_not_open_tickets(as_user, engineer):
    response = as_user(engineer).get(OPEN)
    assert response.status_code == 403
    assert "staff work them from the ticket queue" in response.content.decode()


def test_the_list_shows_the_organizations_tickets_the_person_sees(
    as_user, contact, ticket, kestrel_ticket, participant
):
    resolved = open_ticket(contact, SEN, summary="Old question", level="L4")
    actions.transition(contact, resolved.key, to=Status.RESOLVED)
    client = as_user(contact)
    assert row_keys(client.get(MINE).content.decode(), "tickets") == [ticket.key, resolved.key]
    assert row_keys(client.get(f"{MINE}?level=L4").content.decode(), "tickets") == [resolved.key]
    assert row_keys(client.get(f"{MINE}?status=open").content.decode(), "tickets") == [ticket.key]
    assert kestrel_ticket.summary not in client.get(MINE).content.decode()
    actions.add_participant(contact, ticket.key, email=participant.email)
    mine = as_user(participant).get(f"{MINE}?status=bogus").content.decode()
    assert row_keys(mine, "tickets") == [ticket.key]  # unknown filter values are ignored


def test_the_list_pages_by_fifty(as_user, contact, ticket):
    for n in range(50):
        open_ticket(contact, SEN, summary=f"Ticket {n}")
    client = as_user(contact)
    first = client.get(f"{MINE}?level=L2").content.decode()
    assert len(row_keys(first, "tickets")) == 50
    assert "Page 1 of 2 · 51 tickets" in first
    assert 'href="?level=L2&amp;page=2"' in first
    assert len(row_keys(client.get(f"{MINE}?level=L2&page=2").content.decode(), "tickets")) == 1


def test_the_queue_lists_every_ticket_with_filters(
    as_user, engineer, second_engineer, ticket, kestrel_ticket
):
    actions.assign_owner(engineer, ticket.key, owner_email=second_engineer.email)
    client = as_user(engineer)
    html = client.get(QUEUE).content.decode()
    assert row_keys(html, "queue") == [ticket.key, kestrel_ticket.key]
    row = text(between(html, f'<tr id="row-{ticket.key}">', "</tr>"))
    for expected in ("Northwind Logistics", "L2 major", "Waiting for support", "Priya Raman"):
        assert expected in row
    assert "0 minutes ago" in row
    unassigned = client.get(f"{QUEUE}?owner=none").content.decode()
    assert row_keys(unassigned, "queue") == [kestrel_ticket.key]
    by_owner = client.get(f"{QUEUE}?owner={second_engineer.email}").content.decode()
    assert row_keys(by_owner, "queue") == [ticket.key]
    slug = kestrel_ticket.organization.slug
    by_org = client.get(f"{QUEUE}?organization={slug}").content.decode()
    assert row_keys(by_org, "queue") == [kestrel_ticket.key]
    by_product = client.get(f"{QUEUE}?product=confluence&level=L2").content.decode()
    assert row_keys(by_product, "queue") == []


def queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(QUEUE)
    assert page.status_code == 200
    return len(captured)


def open_many(contact, engineers, count: int) -> None:
    for n in range(count):
        opened = open_ticket(contact, SEN, summary=f"Ticket {n}")
        if n % 2:
            owner = engineers[n % len(engineers)]
            actions.assign_owner(owner, opened.key, owner_email=owner.email)


def test_the_queue_queries_do_not_grow_with_the_tickets(
    as_user, contact, engineer, second_engineer, kestrel_ticket
):
    client = as_user(engineer)
    open_many(contact, [engineer, second_engineer], 2)
    few = queue_queries(client)
    open_many(contact, [engineer, second_engineer], 27)
    assert Ticket.objects.count() == 30
    assert queue_queries(client) == few


def test_customers_never_reach_the_queue(as_user, contact, ticket):
    response = as_user(contact).get(QUEUE)
    assert response.status_code == 403
    assert ticket.summary not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, ticket):
    for url in (OPEN, MINE, DRAFTS, QUEUE, f"/tickets/{ticket.key}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/sign-in/")
    response = client.post(f"/tickets/{ticket.key}/comments/", {"body": "hello"})
    assert response.status_code == 302
    assert not ticket.comments.exists()


def test_navigation_and_home_cards(as_user, contact, engineer, manager):
    portal = as_user(contact).get("/portal/").content.decode()
    nav = between(portal, 'aria-label="Main"', "</nav>")
    assert f'href="{MINE}">Tickets</a>' in nav
    assert f'href="{OPEN}">Open a ticket</a>' in nav
    assert "Open a ticket</h2>" in portal
    console = as_user(engineer).get("/console/").content.decode()
    assert f'href="{QUEUE}">Ticket queue</a>' in between(console, 'aria-label="Main"', "</nav>")
    assert "Ticket queue</h2>" in console
    assert QUEUE not in portal


def test_a_named_contact_sees_every_ticket_of_the_license(
    as_user, contact, ticket, license, manager
):
    colleague = add_approved(license, manager, manager, "ken@northwind.example").person
    assert colleague is not None
    theirs = open_ticket(colleague, SEN, summary="Ken's ticket")
    keys = row_keys(as_user(contact).get(MINE).content.decode(), "tickets")
    assert keys == [ticket.key, theirs.key]


def test_a_named_contact_opens_the_form_again_from_a_draft(as_user, contact):
    client = as_user(contact)
    client.post(OPEN, form_data(level="L1", environment="staging"))
    draft = Draft.objects.get(author=contact)
    assert "Open a ticket from this draft" in client.get(DRAFTS).content.decode()
    again = client.get(f"{OPEN}?draft={draft.pk}").content.decode()
    assert 'value="Page edits time out"' in again
    assert 'id="not-offered"' not in again
