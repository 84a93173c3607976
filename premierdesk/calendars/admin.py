"""Coverage calendars in the admin, with their spans, holidays and exceptions inline and
holidays to import on save. The rows' own rules are the models' (``clean``); every save and
delete, inline rows included, is audited; a change is announced (``calendar_changed``) so the
apps reading the calendar follow once it commits."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from premierdesk.accounts.models import User
from premierdesk.audit.admin import AuditedModelAdmin
from premierdesk.calendars.holidays import (
    country_closures,
    import_country,
    import_ics,
    parse_ics,
)
from premierdesk.calendars.hooks import announce_change
from premierdesk.calendars.models import (
    CalendarException,
    CalendarHoliday,
    CalendarSpan,
    CoverageCalendar,
)
from premierdesk.lib.errors import ActionError
from premierdesk.pages.forms import show_refusal

MAX_ICS_BYTES = 1_000_000


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class SpanInline(admin.TabularInline[CalendarSpan, CoverageCalendar]):
    model = CalendarSpan
    extra = 0


class HolidayInline(admin.TabularInline[CalendarHoliday, CoverageCalendar]):
    model = CalendarHoliday
    extra = 0


class ExceptionInline(admin.TabularInline[CalendarException, CoverageCalendar]):
    model = CalendarException
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
class CoverageCalendarAdmin(AuditedModelAdmin[CoverageCalendar]):
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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        super().save_related(request, form, formsets, change)
        if not change or self.changed(form, formsets):
            announce_change({form.instance.pk})
        self._import(request, form.instance, form.cleaned_data)

    def changed(self, form: forms.ModelForm[CoverageCalendar], formsets: list[Any]) -> bool:
        # An import announces its own change, and only when it added something.
        edited = set(form.changed_data) - set(IMPORT_FIELDS)
        return bool(edited) or any(formset.has_changed() for formset in formsets)

    def delete_model(self, request: HttpRequest, obj: CoverageCalendar) -> None:
        calendar_id = obj.pk
        super().delete_model(request, obj)
        announce_change({calendar_id})

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
