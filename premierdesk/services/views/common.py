"""What the services pages share: the choices a customer's forms offer, and the portal's list
pages with their request form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.catalog.models import OfferingSlug, Product
from premierdesk.customers.models import License
from premierdesk.customers.rules import one_reading
from premierdesk.lib.errors import refusal_of
from premierdesk.offices.models import Engineer
from premierdesk.pages.forms import after_change, submit


def own_licenses(user: User) -> tuple[list[str], list[tuple[str, str]]]:
    """The SENs of the user's organization valid today, and the products they cover."""
    today = timezone.now().date()
    licenses = License.objects.filter(
        organization_id=user.organization_id or 0,
        offering__slug=OfferingSlug.PREMIER,
        valid_from__lte=today,
        valid_until__gte=today,
    )
    products = Product.objects.filter(licenses__in=licenses, covered=True).distinct()
    return [license.sen for license in licenses], [(p.slug, p.name) for p in products]


def skilled_engineers(product_id: int) -> list[tuple[str, str]]:
    engineers = Engineer.objects.filter(skills=product_id, user__is_active=True)
    rows = engineers.select_related("user", "office").order_by("user__full_name")
    return [(e.user.email, f"{e.user.full_name} ({e.office.name})") for e in rows]


@dataclass(frozen=True)
class PortalList:
    """What differs between the portal's service pages (standby, health checks): a list of
    what the organization asked for, and the form to ask for more."""

    template: str
    rows: str  # the list's name in the template's context
    require_read: Callable[[User], None]
    require_request: Callable[[User, Any], None]
    visible: Callable[[User], Any]
    act: Callable[[dict[str, Any]], Any]
    done: str
    made_url: str  # where a new request's own page is, by its pk


def portal_list_page(
    request: HttpRequest,
    user: User,
    form: forms.Form,
    page: PortalList,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The list and the form of a customer's service page. A customer who reads none (a
    participant) is told why at the top with neither; one who may read but not ask is told
    why instead of being offered a form the action would refuse."""
    with one_reading():  # the page and its menu ask who is a named contact once
        unread = refusal_of(lambda: page.require_read(user))

        def shown(status: int) -> HttpResponse:
            not_offered = refusal_of(lambda: page.require_request(user, timezone.now()))
            context = {
                "form": None if not_offered and (unread or request.method != "POST") else form,
                page.rows: [] if unread else page.visible(user),
                "list_refused": bool(unread),
                "not_offered": " ".join(why for why in (unread, not_offered) if why),
                **(extra or {}),
            }
            return render(request, page.template, context, status=status)

        if request.method == "POST" and not unread:
            return submit(
                form,
                page.act,
                done=lambda made: after_change(
                    request, page.done, reverse(page.made_url, args=[made.pk])
                ),
                refused=lambda why: shown(why.status),
            )
        return shown(403 if unread else 200)
