"""Factories for accounts. Every factory account has the password ``FACTORY_PASSWORD``."""

from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password

from premierdesk.accounts.models import Role, User

FACTORY_PASSWORD = "correct horse battery staple"


@functools.cache
def _hashed_password() -> str:
    # Argon2 is slow by design; hash once and reuse the hash for every factory account.
    return make_password(FACTORY_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    role = Role.SUPPORT_ENGINEER
    time_zone = "UTC"
    password = factory.LazyFunction(_hashed_password)
