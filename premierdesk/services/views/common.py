"""What the services pages share: the choices a customer's forms offer, and running an action
from a posted form so that a refusal is shown beside its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.catalog.models import Product
from premierdesk.customers.models import License
from premierdesk.lib.errors import ActionError
from premierdesk.offices.models import Engineer
from premierdesk.web.forms import show_refusal

T = TypeVar("T")


def own_licenses(user: User) -> tuple[list[str], list[tuple[str, str]]]:
    """The SENs of the user's organization valid today, and the products they cover."""
    today = timezone.now().date()
    licenses = License.objects.filter(
        organization_id=user.organization_id or 0,
        offering__slug="premier",
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
class Outcome(Generic[T]):
    result: T | None
    status: int  # what the page answers: 200 done, 400 invalid form, else the refusal's


def attempt(
    request: HttpRequest, form: forms.Form, act: Callable[[dict[str, Any]], T], done: str
) -> Outcome[T]:
    """Run ``act`` on a valid form's data; a refusal goes beside its field."""
    if not form.is_valid():
        return Outcome(None, 400)
    try:
        result = act(form.cleaned_data)
    except ActionError as refusal:
        show_refusal(form, refusal)
        return Outcome(None, refusal.status)
    messages.success(request, done)
    return Outcome(result, 200)
