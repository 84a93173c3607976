"""The survey form: it only parses what was typed; ``actions.answer_survey`` decides."""

from __future__ import annotations

from django import forms

from premierdesk.feedback.models import RATINGS, TEXT_MAX_LENGTH

RATING_LABELS = {1: "1 (poor)", 2: "2", 3: "3", 4: "4", 5: "5 (great)"}


def _text(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text="Optional.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How would you rate Premier Support on this ticket?",
        choices=[(n, RATING_LABELS[n]) for n in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 (poor) to 5 (great)."},
    )
    went_well = _text("What went well?")
    could_be_better = _text("What could have been better?")
