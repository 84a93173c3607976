"""Factories for offices and engineers."""

import factory

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.offices.models import Engineer, Office


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    country = "NL"
    time_zone = "Europe/Amsterdam"


class EngineerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engineer

    user = factory.SubFactory(UserFactory, role=Role.SUPPORT_ENGINEER)
    office = factory.SubFactory(OfficeFactory)
