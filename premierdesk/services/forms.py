"""Forms of the services pages: they only parse what was typed; the actions decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from premierdesk.pages.forms import DATETIME_LOCAL, in_range, reason_field
from premierdesk.services.models import InstallationEnvironment, Severity


class WallTimeField(forms.CharField):
    """A ``datetime-local`` input kept as a wall time without zone: the action reads it in
    the organization's zone (not the viewer's) and refuses times a clock change skips or
    repeats."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            parsed = datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            raise ValidationError("Enter a date and time, e.g. 2026-06-13T09:00.") from None
        in_range(parsed)
        return parsed


def _choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", "Choose…"), *choices]


class LicensedForm(forms.Form):
    """A form naming one of the organization's licenses and one of its products."""

    sen = forms.ChoiceField(label="License (SEN)")
    product = forms.ChoiceField(label="Product")

    def __init__(
        self, *args: Any, sens: list[str], products: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["sen"], [(sen, sen) for sen in sens])
        _choices(self.fields["product"], products)


class StandbyForm(LicensedForm):
    starts_at = WallTimeField(label="From")
    ends_at = WallTimeField(label="To")
    plan = forms.CharField(
        label="What is planned", widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )

    def __init__(self, *args: Any, zone: str, max_hours: int, **kwargs: Any) -> None:
        """``max_hours``: the longest window the service policy allows."""
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = f"Your organization's time, {zone}."
        self.fields["ends_at"].help_text = f"At most {max_hours} hours, within one weekend."


class HealthCheckForm(LicensedForm):
    product_version = forms.CharField(label="Version", max_length=50)
    environment = forms.ChoiceField(label="Environment", choices=InstallationEnvironment.choices)
    instance_notes = forms.CharField(
        label="About the installation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )


class EngineerForm(forms.Form):
    engineer = forms.ChoiceField(label="Engineer")

    def __init__(self, *args: Any, engineers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["engineer"], engineers)


class ScheduleForm(EngineerForm):
    agreed_date = forms.DateField(
        label="Agreed date", widget=forms.DateInput(attrs={"type": "date"}), validators=[in_range]
    )


class ReasonForm(forms.Form):
    reason = reason_field()


class FindingForm(forms.Form):
    severity = forms.ChoiceField(choices=Severity.choices)
    title = forms.CharField(max_length=200)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=50_000)
    recommendation = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=50_000)


class DeliverForm(forms.Form):
    summary = forms.CharField(
        label="Report summary", widget=forms.Textarea(attrs={"rows": 4}), max_length=50_000
    )
