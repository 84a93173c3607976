"""SLA configuration in the admin: coverage calendars (with their spans, holidays, exceptions
and holiday imports), calendar rules and the SLA policy. Every save and delete, inline rows
included, is audited, and once it commits open tickets' clocks are re-derived. Ticket clocks
are shown read-only."""

from __future__ import annotations

import re
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

from premierdesk.accounts.models import User
from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.lib.errors import ActionError
from premierdesk.pages.forms import show_refusal
from premierdesk.sla.clocks import ClockKind
from premierdesk.sla.holidays import country_closures, import_country, import_ics, parse_ics
from premierdesk.sla.models import (
    CalendarException,
    CalendarHoliday,
    CalendarRule,
    CalendarSpan,
    CoverageCalendar,
    SlaPolicy,
    TicketClock,
)
from premierdesk.sla.recalc import recompute_after_commit
from premierdesk.tickets.models import Status

M = TypeVar("M", bound=models.Model)

MAX_ICS_BYTES = 1_000_000


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class RecomputingAdmin(AuditedModelAdmin[M]):
    """Configuration the clocks depend on: once a change commits, open tickets' clocks are
    re-derived (only those that may use the calendar ``calendar_of`` names, if it names one)."""

    def calendar_of(self, obj: M) -> int | None:
        return None  # a rule or the policy: any open ticket may be affected

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        super().save_related(request, form, formsets, change)
        if not change or self.changed(form, formsets):
            recompute_after_commit(self._scope(form.instance))

    def changed(self, form: forms.ModelForm[M], formsets: list[Any]) -> bool:
        return form.has_changed() or any(formset.has_changed() for formset in formsets)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        scope = self._scope(obj)
        super().delete_model(request, obj)
        recompute_after_commit(scope)

    def _scope(self, obj: M) -> set[int] | None:
        calendar_id = self.calendar_of(obj)
        return None if calendar_id is None else {calendar_id}


# Coverage calendars -------------------------------------------------------------------------


class HolidayForm(forms.ModelForm[CalendarHoliday]):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error(
                "last",
                f"The last day ({last}) is before the first ({first}); a one-day holiday "
                "has the same first and last day.",
            )
        return data


class ExceptionForm(forms.ModelForm[CalendarException]):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The end must be after the start.")
        return data


class SpanInline(admin.TabularInline[CalendarSpan, CoverageCalendar]):
    model = CalendarSpan
    extra = 0


class HolidayInline(admin.TabularInline[CalendarHoliday, CoverageCalendar]):
    model = CalendarHoliday
    form = HolidayForm
    extra = 0


class ExceptionInline(admin.TabularInline[CalendarException, CoverageCalendar]):
    model = CalendarException
    form = ExceptionForm
    extra = 0


COUNTRY_FIELDS = ("country", "subdivision", "years")
IMPORT_FIELDS = ("ics_file", *COUNTRY_FIELDS, "zone")


class CoverageCalendarForm(forms.ModelForm[CoverageCalendar]):
    """The calendar, and optionally holidays to import into it on save."""

    ics_file = forms.FileField(
        required=False,
        label="ICS file",
        help_text="All-day events become holidays, timed events closed exceptions; repeating "
        "events are refused. Events already in the calendar are skipped.",
    )
    country = forms.CharField(
        required=False, max_length=8, help_text="Public holidays of this country (ISO code: AU)."
    )
    subdivision = forms.CharField(
        required=False, max_length=16, help_text="A state or region (NSW); empty: nationwide."
    )
    years = forms.CharField(required=False, max_length=100, help_text="2027, or 2027 2028.")
    zone = forms.CharField(
        required=False,
        max_length=64,
        label="Time zone of the imported dates",
        help_text="IANA zone the holidays' dates (and an ICS file's floating times) are local "
        "to, e.g. Australia/Sydney.",
    )

    class Meta:
        model = CoverageCalendar
        fields = ["name", "slug", "always_open", "description"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        try:
            self._check_imports(data)
        except ActionError as refusal:
            # show_refusal only uses the fields and add_error every form has.
            show_refusal(cast(forms.Form, self), refusal)
        return data

    def _check_imports(self, data: dict[str, Any]) -> None:
        """Parse what is to be imported now, so a bad file is refused beside its field
        rather than after the calendar is saved."""
        upload = data.get("ics_file")
        by_country = any(data.get(name) for name in COUNTRY_FIELDS)
        if (upload is not None or by_country) and not data.get("zone"):
            self.add_error("zone", "Say which time zone the imported dates are local to.")
            return
        if upload is not None:
            if upload.size > MAX_ICS_BYTES:
                self.add_error("ics_file", "The file is larger than 1 MB; is it a calendar?")
                return
            data["ics_bytes"] = upload.read()
            parse_ics(data["ics_bytes"], data["zone"])
        if by_country:
            country, subdivision = data.get("country", ""), data.get("subdivision")
            data["year_list"] = [int(year) for year in re.findall(r"\d+", data.get("years", ""))]
            country_closures(country, data["year_list"], data["zone"], subdivision)


@admin.register(CoverageCalendar)
class CoverageCalendarAdmin(RecomputingAdmin[CoverageCalendar]):
    form = CoverageCalendarForm
    list_display = ["name", "slug", "always_open"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpanInline, HolidayInline, ExceptionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "always_open", "description"]}),
        (
            "Import holidays",
            {
                "fields": IMPORT_FIELDS,
                "description": "Added when you save; what the calendar has already is skipped.",
            },
        ),
    ]

    def calendar_of(self, obj: CoverageCalendar) -> int | None:
        return obj.pk

    def changed(self, form: forms.ModelForm[CoverageCalendar], formsets: list[Any]) -> bool:
        # An import enqueues its own recompute, and only when it added something.
        edited = set(form.changed_data) - set(IMPORT_FIELDS)
        return bool(edited) or any(formset.has_changed() for formset in formsets)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        super().save_related(request, form, formsets, change)
        self._import(request, form.instance, form.cleaned_data)

    def _import(
        self, request: HttpRequest, calendar: CoverageCalendar, data: dict[str, Any]
    ) -> None:
        if "ics_bytes" not in data and "year_list" not in data:
            return
        actor, zone, added = _actor(request), data["zone"], 0
        if "ics_bytes" in data:
            added += import_ics(actor, calendar, data["ics_bytes"], zone)
        if "year_list" in data:
            country, years, subdivision = data["country"], data["year_list"], data["subdivision"]
            added += import_country(actor, calendar, country, years, zone, subdivision or None)
        self.message_user(request, f"Imported {added} new holidays or closures.")


# Rules and policy ---------------------------------------------------------------------------


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
