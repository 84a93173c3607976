"""Calendar feeds (.ics, opened by a feed token, not a session) and the page to get or
rotate that token."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.customers.rules import readable_organizations
from premierdesk.offices.models import Engineer, Office
from premierdesk.services import queries
from premierdesk.services.actions import feeds as feed_actions
from premierdesk.services.feeds import build_calendar, feed_standby
from premierdesk.services.models import FeedToken, ServicePolicy
from premierdesk.services.rules import may_read_staff_feeds

ICS_TYPE = "text/calendar; charset=utf-8"


def _feed_reader(request: HttpRequest) -> User:
    """The owner of the feed token in the URL; a missing or unknown token is a 404, exactly
    like a feed that does not exist."""
    user = queries.user_for_feed_token(request.GET.get("token", ""))
    if user is None:
        raise Http404("No such calendar.")
    return user


def _ics(name: str, viewer: User, **scope: object) -> HttpResponse:
    standbys = feed_standby(viewer, timezone.now()).filter(**scope)
    body = build_calendar(name, standbys, ServicePolicy.current().reminders())
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    return response


def engineer_feed(request: HttpRequest, engineer_id: int) -> HttpResponse:
    viewer = _feed_reader(request)
    engineer = Engineer.objects.select_related("user").filter(pk=engineer_id).first()
    if engineer is None or not may_read_staff_feeds(viewer):
        raise Http404("No such calendar.")
    return _ics(f"Standby: {engineer.user.full_name}", viewer, engineer=engineer)


def office_feed(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _feed_reader(request)
    office = Office.objects.filter(slug=slug).first()
    if office is None or not may_read_staff_feeds(viewer):
        raise Http404("No such calendar.")
    return _ics(f"Standby: {office.name} office", viewer, engineer__office=office)


def organization_feed(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _feed_reader(request)
    # The standby it shows is what the viewer reads (services.rules); the organization one
    # they read (customers.rules): staff any, an enterprise manager theirs, a customer theirs.
    organization = readable_organizations(viewer).filter(slug=slug).first()
    if organization is None:
        raise Http404("No such calendar.")
    return _ics(f"Standby: {organization.name}", viewer, organization=organization)


def _feed_paths(user: User) -> list[tuple[str, str]]:
    """The feeds worth subscribing to for ``user``: (label, path without token)."""
    if user.is_customer and user.organization:
        slug = user.organization.slug
        return [
            (user.organization.name, reverse("services:organization-feed", args=[slug])),
        ]
    paths = []
    engineer = Engineer.objects.select_related("office").filter(user=user).first()
    if engineer is not None:
        paths.append(("Your standby", reverse("services:engineer-feed", args=[engineer.pk])))
        office = engineer.office
        paths.append((f"{office.name} office", reverse("services:office-feed", args=[office.slug])))
    return paths


@login_required
def calendar_token(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    secret = feed_actions.rotate_feed_token(user) if request.method == "POST" else None
    feeds = [
        (label, request.build_absolute_uri(path) + (f"?token={secret}" if secret else ""))
        for label, path in _feed_paths(user)
    ]
    context = {
        "feeds": feeds,
        "secret": secret,
        "has_token": FeedToken.objects.filter(user=user).exists(),
        "staff_feeds": may_read_staff_feeds(user),
    }
    return render(request, "services/calendar_token.html", context)
