"""The survey over the API, without signing in: what a link is about, answering it once, and
the problem bodies of an unknown (404), used (409) or expired (410) link and of bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from premierdesk.feedback.models import Answer
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return f"/api/v1/surveys/{token}"


def post(token: str, body: object, client: Client | None = None):
    return (client or Client()).post(url(token), body, content_type="application/json")


def test_what_the_link_is_about(token, closed):
    response = Client().get(url(token))
    assert response.status_code == 200
    # Nothing else of the ticket: no description, owner, organization or comments.
    assert response.json() == {
        "ticket": closed.key,
        "summary": closed.summary,
        "closed_at": "2026-05-04T09:00:00Z",
        "expires_at": "2026-06-01T09:00:00Z",
        "answered": False,
        "expired": False,
    }


def test_answering_without_signing_in(token, closed):
    response = post(token, {"rating": 4, "went_well": "Clear updates"})
    assert response.status_code == 201, response.content
    assert response.json() == {
        "ticket": closed.key,
        "rating": 4,
        "answered_at": "2026-05-04T09:00:00Z",
        "callback_offered": False,
    }
    assert Answer.objects.get().went_well == "Clear updates"
    assert Client().get(url(token)).json()["answered"] is True


def test_a_low_rating_offers_a_callback(token):
    assert post(token, {"rating": 1}).json()["callback_offered"] is True


def test_a_second_answer_is_a_conflict(token):
    assert post(token, {"rating": 5}).status_code == 201
    response = post(token, {"rating": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["type"].endswith("/survey-answered")
    assert "already answered on 2026-05-04 09:00 UTC" in body["detail"]
    assert Answer.objects.get().rating == 5


def test_an_expired_link_is_gone_and_says_when(token, frozen):
    frozen.move_to(NOW + timedelta(days=28, seconds=1))
    assert Client().get(url(token)).json()["expired"] is True
    response = post(token, {"rating": 5})
    assert response.status_code == 410
    body = response.json()
    assert "expired on 2026-06-01 09:00 UTC" in body["detail"]
    assert body["expired_at"] == "2026-06-01T09:00:00+00:00"


def test_an_unknown_or_changed_token_is_not_found(token):
    changed = ("B" if token[5] == "A" else "A").join((token[:5], token[6:]))
    for bad in (changed, "nope"):
        assert Client().get(url(bad)).status_code == 404
        response = post(bad, {"rating": 5})
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, "four", "4", 4.5, True, None])
def test_a_rating_that_is_not_1_to_5_is_invalid(token, rating):
    response = post(token, {"rating": rating})
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["rating"]
    assert not Answer.objects.exists()


def test_a_rating_is_required_and_texts_are_limited(token):
    assert [e["field"] for e in post(token, {}).json()["errors"]] == ["rating"]
    response = post(token, {"rating": 3, "went_well": "x" * 5001})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["went_well"]


def test_a_browser_session_changes_nothing(token, contact):
    """The token is the credential, not the session: no CSRF check to trip over either."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(contact)
    assert post(token, {"rating": 5}, browser).status_code == 201


def test_the_api_document_says_no_sign_in_is_needed():
    operations = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/surveys/{token}"]
    assert set(operations) == {"get", "post"}
    assert all(not op.get("security") for op in operations.values())
    answer_in = (
        Client().get("/api/v1/openapi.json").json()["components"]["schemas"]["SurveyAnswerIn"]
    )
    assert answer_in["properties"]["rating"]["minimum"] == 1
    assert answer_in["properties"]["rating"]["maximum"] == 5
