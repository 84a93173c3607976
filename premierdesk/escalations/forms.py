"""Forms of the escalation pages: they only parse what was typed; the actions decide. Every
text is optional here so that an empty one gets the action's own sentence beside it."""

from __future__ import annotations

from typing import Any

from django import forms

from premierdesk.escalations.models import CallbackRole, EscalationReason, Urgency
from premierdesk.pages.forms import LocalDateTimeField, ZonedForm


def _text(label: str, max_length: int, *, rows: int = 3, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EscalateForm(forms.Form):
    reason = forms.ChoiceField(label="Why", choices=EscalationReason.choices)
    details = _text("Details", 5000, help_text="Needed when the reason is other.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "escalate-%s")
        super().__init__(*args, **kwargs)


class CallbackForm(forms.Form):
    wants = forms.ChoiceField(
        label="Who should call you", choices=CallbackRole.choices, widget=forms.RadioSelect
    )
    complaint = _text("What is wrong", 5000)
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    preferred_times = forms.CharField(
        label="When to call", required=False, max_length=300, help_text="e.g. weekdays 9-12 EST"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "callback-%s")
        super().__init__(*args, **kwargs)


class AssistanceForm(forms.Form):
    question = _text("Question", 10_000)
    evidence = _text("Evidence", 20_000, help_text="Logs, stack traces, what was tried.")
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assist-%s")
        super().__init__(*args, **kwargs)


class OutcomeForm(forms.Form):
    """Resolving an escalation; one per row, so element ids carry its id."""

    outcome = _text("Outcome", 5000, rows=2)

    def __init__(self, *args: Any, prefix_id: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)


class CallbackOutcomeForm(ZonedForm):
    """Closing a callback; one per row."""

    called_back_at = LocalDateTimeField(label="Called back at")
    outcome = _text("Outcome", 5000, rows=2)

    def __init__(self, *args: Any, prefix_id: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    answer = _text("Answer", 20_000, rows=4)

    def __init__(self, *args: Any, prefix_id: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)
