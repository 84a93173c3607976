"""The console page "My handovers" (docs/product/follow-the-sun.md#my-handovers), with frozen time:
the notes an engineer owes before their office's end of duty, written from the page (htmx and
plain), and the handovers they received, acknowledged from the page. Amsterdam works 08-18 CEST
(06:00-16:00 UTC), Sydney 08-18 AEST (22:00-08:00 UTC); the clock starts on Monday 4 May 2026, 09:00
UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.lib.coverage import Calendar, WeeklySpan
from premierdesk.offices import actions, mine
from premierdesk.offices.models import Handover, HandoverNote
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
PAGE = "/console/rota/handovers/"
AMSTERDAM_CLOSES = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)  # 18:00 CEST
HTMX = {"HTTP_HX_REQUEST": "true"}
NOTE = {
    "status": "Heap dump analysed",
    "next_steps": "Apply the patch",
    "customer_availability": "",
}


@pytest.fixture
def rota(products):
    amsterdam = office_with_hours("Amsterdam", "Europe/Amsterdam", time(8), time(18))
    sydney = office_with_hours("Sydney", "Australia/Sydney", time(8), time(18))
    people = {}
    for office, name in ((amsterdam, "sanne"), (amsterdam, "joost"), (sydney, "olivia")):
        engineer = EngineerFactory.create(
            office=office, user__email=f"{name}@premier.example", user__full_name=name.title()
        )
        engineer.skills.set([products["jira-software"]])
        people[name] = engineer.user
    sydney.lead = UserFactory.create(role=Role.SUPPORT_ENGINEER, email="lead@premier.example")
    sydney.save()
    return people


@pytest.fixture
def sanne(rota):
    return rota["sanne"]


@pytest.fixture
def critical(contact, sanne):
    ticket = open_ticket(contact, SEN, level="L1", summary="Jira is down")
    assert ticket.owner == sanne  # Amsterdam is on duty at 09:00 UTC; Sanne is first by id
    return ticket


def owned_by(user, ticket: Ticket) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(owner=user)
    return ticket


def page(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]* id="{element_id}".*?</\1>', html, re.S)
    assert found, element_id
    return found.group(0)


def row_keys(html: str) -> list[str]:
    return re.findall(r'<tr id="write-(PS-\d+)"', html)


def handed_over(frozen) -> Handover:
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    assert actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1)) >= 1
    return Handover.objects.order_by("pk")[0]


# The coming end of duty (pure).


def office_calendar() -> Calendar:
    span = [WeeklySpan(d, time(8), "Europe/Amsterdam", d, time(18)) for d in range(5)]
    return Calendar(name="Amsterdam", open_spans=tuple(span))


def test_the_end_of_duty_is_the_end_of_the_stretch_on_now_or_of_the_next_one():
    calendar = office_calendar()
    assert mine.end_of_duty(calendar, NOW) == AMSTERDAM_CLOSES
    evening = AMSTERDAM_CLOSES + timedelta(hours=1)
    assert mine.end_of_duty(calendar, evening) == AMSTERDAM_CLOSES + timedelta(days=1)
    friday_night = datetime(2026, 5, 8, 20, 0, tzinfo=UTC)
    assert mine.end_of_duty(calendar, friday_night) == datetime(2026, 5, 11, 16, 0, tzinfo=UTC)
    assert mine.end_of_duty(Calendar(name="always", always_open=True), NOW) is None
    assert mine.end_of_duty(Calendar(name="never"), NOW) is None


def test_a_span_reads_for_people():
    assert mine.span(timedelta(minutes=45)) == "45 min"
    assert mine.span(timedelta(minutes=44, seconds=1)) == "45 min"
    assert mine.span(timedelta(hours=7)) == "7 h"
    assert mine.span(timedelta(hours=2, minutes=5)) == "2 h 5 min"
    assert mine.span(timedelta(days=2, hours=3)) == "2 d 3 h"


# To write.


def test_lists_my_critical_tickets_with_the_coming_end_of_duty(
    critical, contact, sanne, rota, as_user
):
    l3 = open_ticket(contact, SEN, level="L3", summary="A small thing")
    plain_l2 = open_ticket(contact, SEN, level="L2")
    marked_l2 = open_ticket(contact, SEN, level="L2")
    Ticket.objects.filter(pk=marked_l2.pk).update(follow_the_sun=True)
    joosts = owned_by(rota["joost"], open_ticket(contact, SEN, level="L1"))
    for ticket in (l3, plain_l2, marked_l2):
        owned_by(sanne, ticket)
    sanne.time_zone = "Europe/Amsterdam"
    sanne.save()
    html = page(as_user(sanne))
    assert row_keys(html) == [critical.key, marked_l2.key]
    assert joosts.key not in html
    assert l3.key not in section(html, "to-write")
    row = section(html, f"write-{critical.key}")
    assert "Jira is down" in row
    assert "Northwind Logistics" in row
    assert "L1" in row
    assert "Mon 18:00" in row  # 16:00 UTC, in Sanne's zone
    assert "Europe/Amsterdam" in row
    assert "in 7 h" in row
    assert "No note written for this end of duty." in row
    assert "due-soon" not in row


def test_the_last_hour_is_highlighted(critical, sanne, frozen, as_user):
    frozen.move_to(AMSTERDAM_CLOSES - timedelta(minutes=45))
    row = section(page(as_user(sanne)), f"write-{critical.key}")
    assert 'class="due-soon"' in row
    assert "in 45 min" in row
    assert "write now" in row


def test_off_duty_the_next_end_of_duty_is_shown(critical, sanne, frozen, as_user):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=30))  # before the handover job ran
    row = section(page(as_user(sanne)), f"write-{critical.key}")
    assert "Tue 16:00" in row  # Sanne's zone is UTC
    assert "in 23 h 30 min" in row


def test_writing_a_note_with_a_plain_post(critical, sanne, as_user):
    client = as_user(sanne)
    response = client.post(f"{PAGE}{critical.key}/note/", NOTE)
    assert response.status_code == 302
    assert response.url == PAGE
    note = HandoverNote.objects.get()
    assert (note.ticket_id, note.author, note.status) == (critical.pk, sanne, "Heap dump analysed")
    html = page(client)
    assert f"Handover note saved on {critical.key}." in html
    row = section(html, f"write-{critical.key}")
    assert "Apply the patch" in row
    assert "Update the note" in row


def test_writing_a_note_with_htmx_swaps_the_row(critical, sanne, frozen, as_user):
    frozen.move_to(AMSTERDAM_CLOSES - timedelta(minutes=30))
    response = as_user(sanne).post(f"{PAGE}{critical.key}/note/", NOTE, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="write-{critical.key}"')
    assert "<html" not in html
    assert "Heap dump analysed" in html
    assert "write now" not in html  # written: nothing more to do
    assert HandoverNote.objects.filter(ticket_id=critical.pk).count() == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_empty_note_is_refused_on_its_row(critical, sanne, as_user, headers):
    response = as_user(sanne).post(
        f"{PAGE}{critical.key}/note/", {**NOTE, "next_steps": " "}, **headers
    )
    assert response.status_code == 422
    row = section(response.content.decode(), f"write-{critical.key}")
    after_field = row.split(f'id="note-{critical.key}-next_steps"', 1)[1]
    assert "Say where the ticket stands and what comes next." in after_field.split("</div>")[0]
    assert '<details class="tool" open>' in row
    assert not HandoverNote.objects.exists()


def test_a_note_on_a_ticket_i_do_not_own_is_refused(critical, rota, as_user):
    joost = as_user(rota["joost"])
    response = joost.post(f"{PAGE}{critical.key}/note/", NOTE, **HTMX)
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<tr id="write-{critical.key}"' in html
    assert f"Only {critical.key}&#x27;s owner writes its handover note." in html
    plain = joost.post(f"{PAGE}{critical.key}/note/", NOTE)
    assert plain.status_code == 403
    assert "owner writes its handover note" in section(plain.content.decode(), "to-write")


def test_yesterdays_note_does_not_count(critical, sanne, as_user):
    HandoverNote.objects.create(
        ticket=critical,
        author=sanne,
        status="Old",
        next_steps="Old",
        written_at=AMSTERDAM_CLOSES - timedelta(hours=25),
    )
    row = section(page(as_user(sanne)), f"write-{critical.key}")
    assert "No note written for this end of duty." in row


def test_the_page_lists_what_the_handover_moves_with_the_note_shown(
    critical, contact, sanne, frozen, as_user
):
    other = owned_by(sanne, open_ticket(contact, SEN, level="L1"))
    owned_by(sanne, open_ticket(contact, SEN, level="L3"))
    frozen.move_to(AMSTERDAM_CLOSES - timedelta(minutes=20))
    client = as_user(sanne)
    client.post(f"{PAGE}{critical.key}/note/", NOTE)
    listed = row_keys(page(client))
    handed_over(frozen)
    moved = list(Handover.objects.order_by("ticket_id").values_list("ticket_id", "note__status"))
    assert listed == [critical.key, other.key]
    assert moved == [(critical.pk, "Heap dump analysed"), (other.pk, None)]
    assert row_keys(page(client)) == []  # they are Olivia's now


# To acknowledge.


def test_the_receiver_acknowledges_with_htmx(critical, rota, frozen, as_user):
    handover = handed_over(frozen)
    client = as_user(rota["olivia"])
    pending = section(page(client), "to-acknowledge-list")
    row = section(pending, f"handover-{handover.pk}")
    assert critical.key in row
    assert "Sanne" in row
    assert "Amsterdam" in row
    assert 'no note</span> <span class="muted">None was written; the last events instead:' in row
    assert "in 30 min" in row
    assert "overdue" not in row
    response = client.post(f"{PAGE}{handover.pk}/acknowledge/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section class="block" id="to-acknowledge"')
    assert f"Acknowledged the handover of {critical.key}" in html
    assert "Nothing waits for your acknowledgement." in html
    assert 'class="done"' in section(html, f"acknowledged-{handover.pk}")
    handover.refresh_from_db()
    assert handover.acknowledged_at == AMSTERDAM_CLOSES + timedelta(minutes=1)


def test_the_receiver_acknowledges_with_a_plain_post(critical, rota, frozen, as_user):
    handover = handed_over(frozen)
    client = as_user(rota["olivia"])
    response = client.post(f"{PAGE}{handover.pk}/acknowledge/")
    assert (response.status_code, response.url) == (302, PAGE)
    html = page(client)
    assert "Acknowledged the handover of" in html
    assert critical.key in section(html, "acknowledged-list")
    assert f"handover-{handover.pk}" not in html


def test_a_note_travels_to_the_receiver(critical, sanne, rota, frozen, as_user):
    frozen.move_to(AMSTERDAM_CLOSES - timedelta(minutes=10))
    as_user(sanne).post(f"{PAGE}{critical.key}/note/", NOTE)
    handover = handed_over(frozen)
    row = section(page(as_user(rota["olivia"])), f"handover-{handover.pk}")
    assert "Next steps: Apply the patch" in row
    assert "None was written" not in row


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_someone_else_cannot_acknowledge(critical, rota, frozen, as_user, headers):
    handover = handed_over(frozen)
    response = as_user(rota["joost"]).post(f"{PAGE}{handover.pk}/acknowledge/", **headers)
    assert response.status_code == 404
    shown = section(response.content.decode(), "to-acknowledge")
    assert f"You have no handover {handover.pk} to acknowledge." in shown
    handover.refresh_from_db()
    assert handover.acknowledged_at is None


def test_acknowledging_twice_says_so(critical, rota, frozen, as_user):
    handover = handed_over(frozen)
    client = as_user(rota["olivia"])
    client.post(f"{PAGE}{handover.pk}/acknowledge/")
    response = client.post(f"{PAGE}{handover.pk}/acknowledge/", **HTMX)
    assert response.status_code == 409
    assert "already acknowledged" in response.content.decode()


def test_an_overdue_handover_is_marked(critical, rota, frozen, as_user):
    handover = handed_over(frozen)
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=40))
    client = as_user(rota["olivia"])
    row = section(page(client), f"handover-{handover.pk}")
    assert 'class="overdue"' in row
    assert "overdue by 9 min" in row
    assert "The lead of Sydney is being alerted." in row
    actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(minutes=40))
    row = section(page(client), f"handover-{handover.pk}")
    assert "The lead of Sydney was alerted at 16:40." in row


# Who may, and what it costs.


def test_customers_are_refused(contact, critical, as_user):
    client = as_user(contact)
    for response in (
        client.get(PAGE),
        client.post(f"{PAGE}{critical.key}/note/", NOTE),
        client.post(f"{PAGE}1/acknowledge/"),
    ):
        assert response.status_code == 403
        assert "Handovers and handover notes are read by support engineers" in (
            response.content.decode()
        )
    assert not HandoverNote.objects.exists()


def test_staff_without_an_office_see_an_empty_page(administrator, as_user):
    html = page(as_user(administrator))
    assert "You are not an engineer of an office" in html
    assert "Nothing waits for your acknowledgement." in html


def test_linked_from_the_navigation_and_the_rota(sanne, as_user):
    client = as_user(sanne)
    console = client.get("/console/").content.decode()
    nav = console.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{PAGE}">My handovers</a>' in nav
    assert f'href="{PAGE}"' in client.get("/console/rota/").content.decode()


def test_queries_do_not_grow_with_rows(
    contact, sanne, rota, frozen, as_user, django_assert_max_num_queries
):
    for _ in range(6):
        ticket = owned_by(sanne, open_ticket(contact, SEN, level="L1"))
        actions.write_handover_note(sanne, ticket.key, status="s", next_steps="n")
    handed_over(frozen)  # all six go to Olivia
    for _ in range(3):
        owned_by(rota["olivia"], open_ticket(contact, SEN, level="L1"))
    olivia = as_user(rota["olivia"])
    olivia.post(f"{PAGE}{Handover.objects.order_by('pk')[0].pk}/acknowledge/")
    with django_assert_max_num_queries(13):  # the same with 1 row; no query per row
        html = page(olivia)
    assert html.count('<tr id="handover-') == 5
    assert html.count('<tr id="acknowledged-') == 1
    # Hers to hand over at Sydney's end of duty: the six she received and her own three.
    assert len(row_keys(html)) == 9


def test_the_lead_and_managers_see_what_waits_for_acknowledgement(critical, rota, frozen, as_user):
    handover = handed_over(frozen)
    lead = Handover.objects.get(pk=handover.pk).to_office.lead
    waiting = section(page(as_user(lead)), "waiting")
    assert "Waiting for acknowledgement in Sydney" in waiting
    assert f'id="waiting-{handover.pk}"' in waiting
    assert "Olivia" in waiting
    manager = UserFactory.create(role=Role.SUPPORT_MANAGER)
    assert "in every office" in section(page(as_user(manager)), "waiting")
    assert 'id="waiting"' not in page(as_user(rota["sanne"]))  # neither lead nor manager
    actions.acknowledge(rota["olivia"], handover.pk)
    assert "Every handover has been acknowledged." in section(page(as_user(lead)), "waiting")
