"""Personal accounts (signing in with e-mail), their roles, API tokens and sign-in throttles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from premierdesk.lib.zones import validate_time_zone


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer contact"
    SUPPORT_ENGINEER = "support_engineer", "Support engineer"
    ENTERPRISE_MANAGER = "enterprise_manager", "Enterprise manager"
    ESCALATION_MANAGER = "escalation_manager", "Escalation manager"
    SUPPORT_MANAGER = "support_manager", "Support manager"
    DEVELOPER = "developer", "Developer"
    ADMINISTRATOR = "administrator", "Administrator"


# The role sets the rules share (docs/access.md), named once here.
STAFF_ROLES = frozenset(Role) - {Role.CUSTOMER}
# Vendor roles that work tickets. Developers join a ticket through developer assistance.
TICKET_STAFF_ROLES = STAFF_ROLES - {Role.DEVELOPER}
# Vendor roles that work every customer's tickets, so read every ticket, organization, license,
# service and handover. Enterprise managers read those of the organizations they manage.
EVERY_CUSTOMER_ROLES = TICKET_STAFF_ROLES - {Role.ENTERPRISE_MANAGER}
# Support managers, and administrators, who may do whatever a support manager does.
SUPPORT_MANAGER_ROLES = frozenset({Role.SUPPORT_MANAGER, Role.ADMINISTRATOR})
# Enterprise managers, and administrators, who may do whatever an enterprise manager does.
ENTERPRISE_MANAGER_ROLES = frozenset({Role.ENTERPRISE_MANAGER, Role.ADMINISTRATOR})
# Every manager role: they read the reports and the manager dashboard.
MANAGER_ROLES = frozenset(
    {Role.ENTERPRISE_MANAGER, Role.ESCALATION_MANAGER, Role.SUPPORT_MANAGER, Role.ADMINISTRATOR}
)


def normalize_email(email: str) -> str:
    """E-mail addresses compare case-insensitively; we store them lower-cased and trimmed."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, full_name: str = "", password: str | None = None, **extra: Any
    ) -> User:
        user = self.model(email=normalize_email(email), full_name=full_name, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, full_name: str = "", password: str | None = None, **extra: Any
    ) -> User:
        extra["role"] = Role.ADMINISTRATOR
        return self.create_user(email, full_name, password, **extra)


class User(AbstractBaseUser):
    """One person. Accounts are personal: every action is recorded against one of these."""

    email = models.EmailField("e-mail", unique=True)
    full_name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CUSTOMER)
    organization = models.ForeignKey(
        "customers.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="The customer organization a customer contact works for; empty for staff.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)
        if self.role == Role.CUSTOMER and self.organization_id is None:
            raise ValidationError(
                {"organization": "A customer contact must belong to a customer organization."}
            )
        if self.role != Role.CUSTOMER and self.organization_id is not None:
            raise ValidationError(
                {"organization": "Staff accounts do not belong to a customer organization."}
            )

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_support_staff(self) -> bool:
        """Vendor staff of any role (as opposed to a customer's employee)."""
        return self.role in STAFF_ROLES

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.role == Role.ADMINISTRATOR

    # Django's admin site asks these three; only administrators reach /admin/.
    @property
    def is_staff(self) -> bool:
        return self.is_administrator

    def has_perm(self, perm: str, obj: object | None = None) -> bool:
        return self.is_administrator

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_administrator


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=16, unique=True, help_text="The token's public start, to recognise it."
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SignInThrottle(models.Model):
    """Failed sign-ins under one key, for lock-out: an account's address, a bucket of addresses
    that have no account, or a client's network (``accounts.actions`` makes the keys). The
    table stays bounded whatever strings are typed: see ``actions._address_key``."""

    key = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures} failure(s)"
