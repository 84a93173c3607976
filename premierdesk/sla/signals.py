"""Marking the SLA policy changed whenever its data changes, by any route (admin, import,
a shell): each process then drops its cached copy of calendars and rules on its next use."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from premierdesk.sla.models import (
    CalendarException,
    CalendarHoliday,
    CalendarRule,
    CalendarSpan,
    CoverageCalendar,
    SlaPolicy,
    new_revision,
)

POLICY_DATA = (CoverageCalendar, CalendarSpan, CalendarHoliday, CalendarException, CalendarRule)


def _policy_data_changed(sender: type, **kwargs: Any) -> None:
    SlaPolicy.objects.filter(pk=1).update(revision=new_revision())


def _policy_saved(sender: type, instance: SlaPolicy, **kwargs: Any) -> None:
    instance.revision = new_revision()


def connect() -> None:
    for model in POLICY_DATA:
        post_save.connect(_policy_data_changed, sender=model, dispatch_uid=f"sla-{model.__name__}")
        post_delete.connect(
            _policy_data_changed, sender=model, dispatch_uid=f"sla-del-{model.__name__}"
        )
    pre_save.connect(_policy_saved, sender=SlaPolicy, dispatch_uid="sla-policy")
