"""A customer space: an organization's pages, each with its append-only versions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class PageKind(models.TextChoices):
    HOW_DO_I = "how_do_i", "How do I"
    ENVIRONMENT = "environment", "Environment notes"
    HEALTH_CHECK_REPORT = "health_check_report", "Health-check report"
    OTHER = "other", "Other"


class Page(models.Model):
    """One page of an organization's space. Its text lives in its versions; ``version`` is
    the number of the latest, which the page shows."""

    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.PROTECT, related_name="space_pages"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=PageKind.choices, default=PageKind.OTHER)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text='What published the page, e.g. "health_check:12"; empty for pages staff write.',
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organization", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="page_slug_per_space"),
            # Publishing the same report again makes a new version, never a second page.
            models.UniqueConstraint(
                fields=["organization", "source"],
                condition=~models.Q(source=""),
                name="one_page_per_source_per_space",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organization})"


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove a written version."""


class PageVersionQuerySet(models.QuerySet["PageVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Page versions cannot be changed; write a new version.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Page versions cannot be deleted.")


class PageVersion(models.Model):
    """What a page said from ``written_at`` on. Never changed: an edit is a new version."""

    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body_markdown = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    change_note = models.CharField(max_length=500, blank=True)

    objects: ClassVar[models.Manager[PageVersion]] = PageVersionQuerySet.as_manager()

    class Meta:
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="one_version_number_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.page.title} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Page versions cannot be changed; write a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Page versions cannot be deleted.")
