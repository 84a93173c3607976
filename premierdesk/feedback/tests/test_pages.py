"""The survey page, without signing in: the form (CSRF-protected), the thank-you page with the
callback offer after a low rating, already answered (409), expired (410), unknown (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from premierdesk.feedback.models import Answer
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return f"/survey/{token}/"


def browser_with_form(token: str) -> tuple[Client, str]:
    """An anonymous browser that has loaded the form: its CSRF cookie and token."""
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(url(token))
    assert response.status_code == 200
    return browser, response.context["csrf_token"]


def answer(token: str, **fields: object):
    browser, csrf = browser_with_form(token)
    return browser.post(url(token), {"csrfmiddlewaretoken": csrf, **fields})


def test_the_form_shows_the_key_and_summary_only(token, closed):
    response = Client().get(url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert closed.key in page
    assert closed.summary in page
    assert closed.description not in page
    assert closed.owner.full_name not in page
    assert 'name="rating"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Sign out" not in page  # nobody is signed in
    assert "no-cache" in response["Cache-Control"]


def test_a_good_answer_thanks_without_a_callback_offer(token):
    response = answer(token, rating="5", went_well="Quick and clear")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you" in page
    assert "5 of 5" in page
    assert "manager callback" not in page
    assert Answer.objects.get().went_well == "Quick and clear"


def test_a_low_answer_offers_a_manager_callback(token, closed):
    response = answer(token, rating="2", could_be_better="Slow replies")
    page = response.content.decode()
    assert "Ask for a manager callback" in page
    assert f'href="/tickets/{closed.key}/#callbacks"' in page


def test_posting_without_the_csrf_token_is_refused(token):
    browser, _ = browser_with_form(token)
    assert browser.post(url(token), {"rating": "5"}).status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize("rating", ["", "0", "6", "five"])
def test_a_missing_or_bad_rating_shows_the_form_again(token, rating):
    response = answer(token, rating=rating, went_well="kept")
    assert response.status_code == 400
    page = response.content.decode()
    assert "errorlist" in page
    assert "kept" in page
    assert not Answer.objects.exists()


def test_a_used_link_says_already_answered(token, closed):
    answer(token, rating="4")
    for response in (Client().get(url(token)), answer_again(token)):
        assert response.status_code == 409
        page = response.content.decode()
        assert "Already answered" in page
        assert closed.key in page
        assert 'name="rating"' not in page
    assert Answer.objects.count() == 1


def answer_again(token: str):
    # A form loaded before the first answer, sent after it.
    return Client().post(url(token), {"rating": "1"})


def test_an_expired_link_says_when_it_expired(token, frozen):
    frozen.move_to(NOW + timedelta(days=28, seconds=1))
    for response in (Client().get(url(token)), Client().post(url(token), {"rating": "5"})):
        assert response.status_code == 410
        assert "expired on 2026-06-01 09:00 UTC" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_form_loaded_in_time_but_sent_late_is_refused_as_expired(token, frozen):
    frozen.move_to(NOW + timedelta(days=28))
    browser, csrf = browser_with_form(token)
    frozen.move_to(NOW + timedelta(days=28, seconds=1))
    response = browser.post(url(token), {"csrfmiddlewaretoken": csrf, "rating": "5"})
    assert response.status_code == 410


def test_an_unknown_link_is_not_found(token):
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (changed, "nothing-here"):
        assert Client().get(url(bad)).status_code == 404


def test_staff_see_the_answer_on_the_ticket_page(token, closed, engineer, contact, as_user):
    page = as_user(engineer).get(f"/tickets/{closed.key}/").content.decode()
    assert "Customer survey" in page
    assert "not answered yet" in page
    answer(token, rating="2", could_be_better="Slow replies")
    page = as_user(engineer).get(f"/tickets/{closed.key}/").content.decode()
    assert "2 of 5" in page
    assert "Slow replies" in page
    customer_page = as_user(contact).get(f"/tickets/{closed.key}/").content.decode()
    assert "Customer survey" not in customer_page


def test_the_callback_offer_leads_to_the_callback_form(
    token, closed, contact, support_manager, as_user
):
    """The escalations app takes callbacks on the ticket page, signed in, closed ticket or not."""
    answer(token, rating="1", could_be_better="Nobody called")
    browser = as_user(contact)
    page = browser.get(f"/tickets/{closed.key}/").content.decode()
    assert 'id="callbacks"' in page
    assert f'action="/tickets/{closed.key}/callback/"' in page
    browser.post(
        f"/tickets/{closed.key}/callback/",
        {"wants": "support_manager", "complaint": "Nobody called", "phone": "+1 555 0100"},
    )
    assert closed.callbacks.get().assignee == support_manager


def test_signing_in_is_asked_first_for_the_callback(token, closed):
    answer(token, rating="1")
    response = Client().get(f"/tickets/{closed.key}/")
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_times_on_the_survey_pages_are_in_the_contacts_zone_and_say_so(token, contact, frozen):
    """Grace reads her survey in New York time: the page and its refusals alike."""
    contact.time_zone = "America/New_York"
    contact.save()
    page = Client().get(url(token)).content.decode()
    assert "This link works once, until 2026-06-01 05:00 America/New_York." in page
    frozen.move_to(NOW + timedelta(days=28, seconds=1))
    expired = Client().get(url(token)).content.decode()
    assert "expired on 2026-06-01 05:00 America/New_York." in expired
    frozen.move_to(NOW)
    answer(token, rating="5")
    again = Client().get(url(token)).content.decode()
    assert "already answered on 2026-05-04 05:00 America/New_York;" in again
