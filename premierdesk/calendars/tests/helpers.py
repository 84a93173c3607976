"""The calendar's admin change page, as a test posts it: its address and its form data."""

from __future__ import annotations

from premierdesk.calendars.models import CoverageCalendar

INLINES = ("spans", "holidays", "exceptions")


def change_url(calendar: CoverageCalendar) -> str:
    return f"/admin/calendars/coveragecalendar/{calendar.pk}/change/"


def calendar_form(calendar: CoverageCalendar, **rows: list[dict[str, str]]) -> dict[str, str]:
    """The change form's POST: the calendar's fields and each inline formset's rows."""
    data = {"name": calendar.name, "slug": calendar.slug, "description": calendar.description}
    if calendar.always_open:
        data["always_open"] = "on"
    for prefix in INLINES:
        forms = rows.get(prefix, [])
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(forms)),
            f"{prefix}-INITIAL_FORMS": str(sum("id" in f for f in forms)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, form in enumerate(forms):
            data |= {f"{prefix}-{index}-{name}": value for name, value in form.items()}
    return data
