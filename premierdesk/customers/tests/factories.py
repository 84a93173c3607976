"""Factories for customer organizations."""

import datetime

import factory

from premierdesk.accounts.models import User
from premierdesk.catalog.models import Offering, ResponseTarget
from premierdesk.customers import actions
from premierdesk.customers.models import License, NamedContact, Organization
from premierdesk.sla.defaults import FIRST_RESPONSE_MINUTES, NEXT_UPDATE_MINUTES


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Customer {n}")
    slug = factory.Sequence(lambda n: f"customer-{n}")
    time_zone = "Europe/London"


def premier_offering() -> Offering:
    """The Premier offering with its default targets
    (docs/product/response-targets-and-coverage.md#targets)."""
    offering, created = Offering.objects.get_or_create(
        slug="premier", defaults={"name": "Premier", "named_contact_slots": 3}
    )
    if created:
        for level, minutes in FIRST_RESPONSE_MINUTES["premier"].items():
            ResponseTarget.objects.create(
                offering=offering,
                level=level,
                initial_response_minutes=minutes,
                next_update_minutes=NEXT_UPDATE_MINUTES[level],
            )
    return offering


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = License

    sen = factory.Sequence(lambda n: f"SEN-{1000000 + n}")
    organization = factory.SubFactory(OrganizationFactory)
    offering = factory.LazyFunction(lambda: premier_offering())
    valid_from = datetime.date(2026, 1, 1)
    valid_until = datetime.date(2027, 12, 31)


def add_approved(
    license: License, requester: User, approver: User, email: str, **window: object
) -> NamedContact:
    """A named-contact window asked for and approved through the actions, as in real life."""
    change = actions.request_named_contact(
        requester,
        license.sen,
        email=email,
        full_name=email.split("@")[0].title(),
        **window,  # type: ignore[arg-type]
    )
    return actions.approve_change(approver, change.pk)
