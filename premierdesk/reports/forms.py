"""The reports page's form: a report, one of the groupings that report supports, and months.
The groupings come from ``reports.queries.REPORTS``, the table the API checks against too."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from premierdesk.lib.errors import InvalidInput
from premierdesk.lib.instants import check_in_range
from premierdesk.reports.queries import GROUPINGS, REPORTS, Period, grouping_of

DEFAULT_REPORT = "volume"


def month_of(value: str, field: str) -> date | None:
    """A month as YYYY-MM (a full date is taken as its month)."""
    if not value:
        return None
    try:
        month = date.fromisoformat(value if len(value) > 7 else f"{value}-01").replace(day=1)
    except ValueError:
        raise InvalidInput.on_field(field, f"{value!r} is not a month; write YYYY-MM.") from None
    return check_in_range(month, field)


class ReportForm(forms.Form):
    report = forms.ChoiceField(
        label="Report", choices=[(key, entry.label) for key, entry in REPORTS.items()]
    )
    by = forms.CharField(label="Group by", required=False, widget=forms.Select)
    since = forms.CharField(
        label="From", required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    until = forms.CharField(
        label="To", required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, data: Any, *, today: date) -> None:
        super().__init__(data)
        self.today = today
        self.chosen = data.get("report") if data.get("report") in REPORTS else DEFAULT_REPORT
        by = self.fields["by"].widget
        assert isinstance(by, forms.Select)
        by.choices = [(g, GROUPINGS[g]) for g in REPORTS[self.chosen].groupings]

    def clean_by(self) -> str:
        try:
            return grouping_of(self.chosen, self.cleaned_data.get("by"))
        except InvalidInput as refusal:
            raise forms.ValidationError(refusal.detail) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            since = month_of(cleaned.get("since") or "", "since")
            until = month_of(cleaned.get("until") or "", "until")
            cleaned["period"] = Period.of(since, until, self.today)
        except InvalidInput as refusal:
            for error in refusal.errors:
                self.add_error(error.field, error.message)
        return cleaned

    def switched(self) -> ReportForm:
        """The form for another report just chosen: a grouping it does not support becomes its
        default (nothing was asked for yet, so nothing is refused); the months are kept."""
        data = dict(self.data.items())
        if data.get("by") not in REPORTS[self.chosen].groupings:
            data["by"] = REPORTS[self.chosen].groupings[0]
        data["report"] = self.chosen
        return ReportForm(data, today=self.today)
