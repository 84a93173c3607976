"""SLA configuration in the admin: calendar rules and the SLA policy (their rules are the
models' ``clean``, shown beside the field). Every save and delete is audited, and once it
commits open tickets' clocks are re-derived (a calendar's own changes reach them through
``calendars.hooks.calendar_changed``). Ticket clocks are shown read-only."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.sla.models import CONDITION_FIELDS, CalendarRule, SlaPolicy, TicketClock
from premierdesk.sla.recalc import recompute_after_commit

M = TypeVar("M", bound=models.Model)


class RecomputingAdmin(AuditedModelAdmin[M]):
    """Configuration any open ticket's clocks may depend on (a rule, the policy): once a
    change commits, every open ticket's clocks are re-derived."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        super().save_related(request, form, formsets, change)
        if not change or self.changed(form, formsets):
            recompute_after_commit()

    def changed(self, form: forms.ModelForm[M], formsets: list[Any]) -> bool:
        return form.has_changed() or any(formset.has_changed() for formset in formsets)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        super().delete_model(request, obj)
        recompute_after_commit()


class CalendarRuleForm(forms.ModelForm[CalendarRule]):
    class Meta:
        model = CalendarRule
        fields = ["priority", "calendar", *CONDITION_FIELDS]


@admin.register(CalendarRule)
class CalendarRuleAdmin(RecomputingAdmin[CalendarRule]):
    form = CalendarRuleForm
    list_display = ["priority", "calendar", "conditions"]
    list_select_related = ["calendar", "offering", "product", "organization"]

    @admin.display(description="Conditions")
    def conditions(self, rule: CalendarRule) -> str:
        filled = [f"{name.replace('_', ' ')}: {value}" for name, value in rule.conditions().items()]
        return "; ".join(filled) or "any ticket (the fallback)"

    def has_delete_permission(self, request: HttpRequest, obj: CalendarRule | None = None) -> bool:
        if obj is not None and obj.is_the_only_fallback():
            return False  # every ticket must find a calendar
        return super().has_delete_permission(request, obj)


class SlaPolicyForm(forms.ModelForm[SlaPolicy]):
    class Meta:
        model = SlaPolicy
        fields = ["warning_percents", "pausing"]
        help_texts = {
            "warning_percents": "Shares of a target at which staff are warned, e.g. [50, 75].",
            "pausing": 'Statuses that pause each clock, e.g. {"resolution": '
            '["waiting_for_customer", "inactive"]}.',
        }


@admin.register(SlaPolicy)
class SlaPolicyAdmin(RecomputingAdmin[SlaPolicy]):
    form = SlaPolicyForm
    list_display = ["__str__", "warning_percents"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SlaPolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: SlaPolicy | None = None) -> bool:
        return False  # one row, always there: edit it instead


@admin.register(TicketClock)
class TicketClockAdmin(ReadOnlyModelAdmin[TicketClock]):
    list_display = ["ticket", "kind", "cycle", "level", "due_at", "stopped_at", "breached_at"]
    list_filter = ["kind", "level"]
    list_select_related = ["ticket"]
