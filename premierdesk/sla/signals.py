"""Keeping the SLA in step with its data, whatever route changes it (admin, import, a shell):
the policy is marked changed, so each process drops its cached copy of calendars and rules on
its next use; and a calendar's announced change re-derives the open clocks that may use it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from premierdesk.calendars.hooks import calendar_changed
from premierdesk.calendars.models import (
    CalendarException,
    CalendarHoliday,
    CalendarSpan,
    CoverageCalendar,
)
from premierdesk.sla.models import CalendarRule, SlaPolicy, new_revision
from premierdesk.sla.recalc import recompute_after_commit

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
    calendar_changed.connect(recompute_after_commit)
