"""Forms of the follow-the-sun pages: they only parse what was typed; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms


def _text(label: str, max_length: int, *, required_in_browser: bool, help_text: str = "") -> Any:
    # Never required here: an empty field gets the action's own sentence, beside the field.
    attrs = {"rows": 2, **({"required": True} if required_in_browser else {})}
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=attrs),
    )


class HandoverNoteForm(forms.Form):
    """The outgoing owner's note; one per row of the page, so element ids carry the key."""

    # The same limits as the API's NoteIn.
    status = _text("Status", 5000, required_in_browser=True)
    next_steps = _text("Next steps", 5000, required_in_browser=True)
    customer_availability = _text(
        "Customer availability",
        2000,
        required_in_browser=False,
        help_text="When and how the customer can be reached.",
    )

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"note-{key}-%s")
        super().__init__(*args, **kwargs)


class CloseEarlyForm(forms.Form):
    """Why an office closes early; one per office on duty, so element ids carry its slug."""

    # The same limit as the API's CloseEarlyIn.
    reason = _text(
        "Reason",
        500,
        required_in_browser=True,
        help_text="Its critical tickets are handed over at once.",
    )

    def __init__(self, *args: Any, slug: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"close-{slug}-%s")
        super().__init__(*args, **kwargs)
