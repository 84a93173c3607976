"""Offices (each in its own time zone) and the engineers who work in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from premierdesk.lib.zones import validate_time_zone


class Office(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. AU.")
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_offices",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Engineer(models.Model):
    """A support engineer's place in the team: office, product skills and load limit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engineer"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="engineers")
    skills = models.ManyToManyField("catalog.Product", related_name="engineers", blank=True)
    max_load = models.PositiveSmallIntegerField(
        default=8, help_text="Open tickets (weighted by level) this engineer carries at most."
    )

    class Meta:
        ordering = ["office", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.office})"
