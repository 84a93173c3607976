"""Customer organizations, their support licenses (SEN), license contacts and named contacts."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
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


SEN_PATTERN = r"^SEN-\d{4,12}$"


def validate_sen(value: str) -> None:
    if not re.fullmatch(SEN_PATTERN, value):
        raise ValidationError(
            "%(value)s is not a Support Entitlement Number; it looks like SEN-1234567.",
            params={"value": value},
            code="invalid_sen",
        )


class License(models.Model):
    """A support license, identified by its SEN, of one offering, for some products."""

    sen = models.CharField("SEN", max_length=20, unique=True, validators=[validate_sen])
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="licenses"
    )
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.PROTECT, related_name="licenses"
    )
    valid_from = models.DateField()
    valid_until = models.DateField(help_text="The last day the license is valid (inclusive).")
    products = models.ManyToManyField("catalog.Product", related_name="licenses")
    extra_slot_blocks = models.PositiveSmallIntegerField(
        default=0,
        help_text="Extra blocks of named-contact slots bought with extra licenses (policy).",
    )

    class Meta:
        ordering = ["sen"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="license_valid_until_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sen} ({self.organization})"

    @property
    def named_contact_slots(self) -> int:
        per_block = self.offering.named_contact_slots
        return per_block * (1 + self.extra_slot_blocks)


class ContactRole(models.TextChoices):
    BILLING = "billing", "Billing contact"
    TECHNICAL = "technical", "Technical contact"


class LicenseContact(models.Model):
    """A billing or technical contact of a license (any number; one primary of each kind)."""

    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="license_contacts"
    )
    role = models.CharField(max_length=16, choices=ContactRole.choices)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["license", "role", "-is_primary"]
        constraints = [
            models.UniqueConstraint(
                fields=["license", "person", "role"], name="one_contact_role_per_person"
            ),
            models.UniqueConstraint(
                fields=["license", "role"],
                condition=models.Q(is_primary=True),
                name="one_primary_contact_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.license.sen})"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn before it started"


class NamedContact(models.Model):
    """One person's window as a named contact of a license, from request to removal.

    Requested additions and temporary covers are PENDING until the organization's enterprise
    manager (or an administrator) approves them; only APPROVED windows count. Removal ends the
    window; nothing is deleted, so every change keeps who asked, who decided, when and why.

    A request for someone who is not yet a person of the organization names them by
    ``invited_email`` and ``invited_name`` only, without ``person``: whether the address has an
    account elsewhere is looked at when an approver decides, never in front of the requester.
    Approval links the account it creates (or finds in the organization); the invited address
    stays as the record of who was asked for.
    """

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="named_contacts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="named_contact_windows",
        help_text="Empty while a request invites someone who is not a person of the "
        "organization yet: approval makes or links their account.",
    )
    invited_email = models.EmailField(
        max_length=254,
        blank=True,
        help_text="For an invitation: the address asked for, lower-cased.",
    )
    invited_name = models.CharField(
        max_length=200, blank=True, help_text="For an invitation: the full name given."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: permanent.")
    covers = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="covered_by",
        help_text="For a temporary cover: the named contact on leave, suspended meanwhile.",
    )
    status = models.CharField(
        max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    request_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["license", "starts_at", "id"]
        indexes = [
            models.Index(fields=["license", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="named_contact_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(invited_email=""),
                name="named_contact_names_a_person_or_an_invited_address",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(status=ChangeStatus.APPROVED),
                name="named_contact_approved_has_a_person",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or f"{self.invited_name} <{self.invited_email}>"
        return f"{who} on {self.license.sen}"

    @property
    def person_email(self) -> str:
        """The person's address, or the invited one while no account is linked."""
        return self.person.email if self.person is not None else self.invited_email

    @property
    def person_name(self) -> str:
        return self.person.full_name if self.person is not None else self.invited_name

    @property
    def is_invitation(self) -> bool:
        """Whether the request named someone who was not a person of the organization yet."""
        return bool(self.invited_email)

    @property
    def is_temporary(self) -> bool:
        return self.ends_at is not None
