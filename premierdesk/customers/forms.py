"""Forms of the named-contact pages: they only parse what was typed; the actions decide."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from premierdesk.pages.forms import LocalDateTimeField, ZonedForm, reason_field


class NamedContactForm(ZonedForm):
    id_prefix = "add"
    email = forms.EmailField(label="E-mail")
    full_name = forms.CharField(
        label="Full name",
        required=False,
        max_length=200,
        help_text="Only for someone who is not a person of your organization here yet: once "
        "the request is approved, they are invited to create their account.",
    )
    starts_at = LocalDateTimeField(label="From", required=False)
    ends_at = LocalDateTimeField(label="To", required=False)
    reason = reason_field()

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, zone=zone, **kwargs)
        self.fields["starts_at"].help_text += " Empty: from now."
        self.fields["ends_at"].help_text += " Empty: permanent."


class CoverForm(ZonedForm):
    id_prefix = "cover"
    covered_id = forms.TypedChoiceField(label="Named contact on leave", coerce=int)
    email = forms.EmailField(label="E-mail of the colleague covering")
    full_name = forms.CharField(
        label="Their full name",
        required=False,
        max_length=200,
        help_text="Only for someone who is not a person of your organization here yet.",
    )
    starts_at = LocalDateTimeField(label="From")
    ends_at = LocalDateTimeField(label="To")
    reason = reason_field()

    def __init__(
        self, *args: Any, zone: ZoneInfo, covered: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, zone=zone, **kwargs)
        field = self.fields["covered_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose…"), *covered]


class RemoveForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=500)


class ApproveForm(forms.Form):
    reason = forms.CharField(label="Note (optional)", required=False)


class DeclineForm(forms.Form):
    reason = reason_field("Why it is declined", required_in_browser=True)
