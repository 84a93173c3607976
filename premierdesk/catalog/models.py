"""Products and offerings. Their numbers (targets, slots) are data an administrator changes."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    """Ticket levels (docs/product/tickets.md#levels); the label is what a customer reads when
    choosing one."""

    L1 = "L1", "L1 critical"
    L2 = "L2", "L2 major"
    L3 = "L3", "L3 medium"
    L4 = "L4", "L4 low"


class OfferingSlug(models.TextChoices):
    """The offerings the code itself names, by their ``Offering.slug`` (an administrator may
    add others: they are rows, not choices)."""

    PREMIER = "premier", "Premier"
    SELECT = "select", "Select"


class WeekendClass(models.TextChoices):
    """Which levels keep being worked over the global weekend
    (docs/product/response-targets-and-coverage.md#weekend-coverage, policy)."""

    L1_AND_L2 = "l1_l2", "L1 and L2 covered at weekends"
    L1_ONLY = "l1", "Only L1 covered at weekends"
    NONE = "none", "Not covered at weekends"


class Product(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, unique=True)
    covered = models.BooleanField(
        default=True, help_text="Whether Premier Support covers this product at all."
    )
    not_covered_reason = models.CharField(
        max_length=200, blank=True, help_text="Shown when a ticket for it is refused."
    )
    weekend_class = models.CharField(
        max_length=8, choices=WeekendClass.choices, default=WeekendClass.NONE
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Offering(models.Model):
    slug = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100, unique=True)
    named_contact_slots = models.PositiveSmallIntegerField(
        default=3, help_text="Named contacts one license of this offering entitles to."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResponseTarget(models.Model):
    """Targets for one offering and level, in covered minutes
    (docs/product/response-targets-and-coverage.md#targets, policy)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="targets")
    level = models.CharField(max_length=2, choices=Level.choices)
    initial_response_minutes = models.PositiveIntegerField()
    next_update_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="After a customer's comment; empty: tracked, no target."
    )
    resolution_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: tracked, no target."
    )

    class Meta:
        ordering = ["offering", "level"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "level"], name="one_target_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.offering} {self.level}: {self.initial_response_minutes} min"
