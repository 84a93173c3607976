"""Customer organizations. Licenses and named contacts arrive with the named-contacts work."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from premierdesk.lib.zones import validate_time_zone


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    enterprise_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_organizations",
        limit_choices_to={"role": "enterprise_manager"},
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
