"""SLA configuration in the admin: calendar rules and the SLA policy. Every save and delete is
audited, and once it commits open tickets' clocks are re-derived (a calendar's own changes
reach them through ``calendars.signals.calendar_changed``). Ticket clocks are shown
read-only."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.sla.clocks import ClockKind
from premierdesk.sla.models import CalendarRule, SlaPolicy, TicketClock
from premierdesk.sla.recalc import recompute_after_commit
from premierdesk.tickets.models import Status

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


CONDITION_FIELDS = ["offering", "level", "product", "weekend_class", "organization"]


class CalendarRuleForm(forms.ModelForm[CalendarRule]):
    class Meta:
        model = CalendarRule
        fields = ["priority", "calendar", *CONDITION_FIELDS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if _conditions(data) and _is_last_catch_all(self.instance):
            self.add_error(
                None,
                "This is the only rule without conditions, the one every ticket falls back "
                "to; add another rule without conditions before giving this one conditions.",
            )
        return data


def _conditions(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in CONDITION_FIELDS if values.get(name)}


CATCH_ALL = Q(offering=None, level="", product=None, weekend_class="", organization=None)


def _is_last_catch_all(rule: CalendarRule) -> bool:
    """Whether ``rule`` (as stored) is the only rule without conditions."""
    catch_alls = CalendarRule.objects.filter(CATCH_ALL).values_list("pk", flat=True)
    return rule.pk is not None and list(catch_alls) == [rule.pk]


@admin.register(CalendarRule)
class CalendarRuleAdmin(RecomputingAdmin[CalendarRule]):
    form = CalendarRuleForm
    list_display = ["priority", "calendar", "conditions"]
    list_select_related = ["calendar", "offering", "product", "organization"]

    @admin.display(description="Conditions")
    def conditions(self, rule: CalendarRule) -> str:
        values = {name: getattr(rule, name) for name in CONDITION_FIELDS}
        filled = [
            f"{name.replace('_', ' ')}: {value}" for name, value in _conditions(values).items()
        ]
        return "; ".join(filled) or "any ticket (the fallback)"

    def has_delete_permission(self, request: HttpRequest, obj: CalendarRule | None = None) -> bool:
        if obj is not None and _is_last_catch_all(obj):
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

    def clean_warning_percents(self) -> Any:
        value = self.cleaned_data["warning_percents"]
        numbers = isinstance(value, list) and all(
            isinstance(p, int | float) and not isinstance(p, bool) and 0 < p < 100 for p in value
        )
        if not numbers or value != sorted(set(value)):
            raise forms.ValidationError(
                "Give a list of rising percentages between 0 and 100, such as [50, 75]."
            )
        return value

    def clean_pausing(self) -> Any:
        value = self.cleaned_data["pausing"]
        if not isinstance(value, dict):
            raise forms.ValidationError(
                'Give the statuses pausing each clock: {"resolution": ["inactive"]}.'
            )
        clocks = [kind.value for kind in ClockKind]
        for kind, statuses in value.items():
            if kind not in clocks:
                raise forms.ValidationError(
                    f"“{kind}” is not a clock; the clocks are {', '.join(clocks)}."
                )
            listed = statuses if isinstance(statuses, list) else [statuses]
            unknown = [s for s in listed if s not in Status.values]
            if unknown:
                raise forms.ValidationError(
                    f"“{unknown[0]}” is not a ticket status; the statuses are "
                    f"{', '.join(Status.values)}."
                )
        return value


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
