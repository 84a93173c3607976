"""Forms of the space pages: they only parse what was typed; the actions decide."""

from __future__ import annotations

from django import forms

from premierdesk.spaces.models import PageKind

MARKDOWN_HELP = (
    "Markdown: # headings, **bold**, lists, [links](https://…), | tables |. "
    "HTML is shown as text, never run."
)


class NewPageForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)  # the action says what is missing
    kind = forms.ChoiceField(choices=PageKind.choices, initial=PageKind.OTHER)
    body = forms.CharField(
        label="Text",
        required=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    change_note = forms.CharField(label="Change note (optional)", required=False, max_length=500)


class EditPageForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)  # the action says what is missing
    body = forms.CharField(
        label="Text",
        required=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    change_note = forms.CharField(label="What changed (optional)", required=False, max_length=500)
    # The version the text was loaded from: saving refuses if someone saved another meanwhile.
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SetUpForm(forms.Form):
    organization = forms.SlugField()
