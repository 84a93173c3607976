"""Forms of the ticket pages: they only parse what was typed; the ticket actions decide.

Choices the actions check (license, product, environment, level, owner, status) are plain text
fields with a select widget: whatever is posted reaches the action, whose sentence says what is
wrong, and opening a ticket keeps a draft of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.urls import reverse

from premierdesk.catalog.models import Level
from premierdesk.pages.forms import LocalDateTimeField, QuickSelect, ZonedForm, reason_field
from premierdesk.tickets.idempotency import FIELD as KEY_FIELD
from premierdesk.tickets.idempotency import RequestKey
from premierdesk.tickets.models import OPEN_STATUSES, CallDirection, Environment, Status

# What the customer reads when choosing a level (docs/product/tickets.md#levels).
LEVEL_DEFINITIONS = {
    Level.L1: "Production down; users cannot work (hangs, crashes, data loss or corruption, "
    "many users blocked). Only for production systems.",
    Level.L2: "System up, but a key feature is broken or a group of users cannot do "
    "important work.",
    Level.L3: "A small number of users, or lower-priority functions, affected.",
    Level.L4: "General or planning questions, and issues on non-production systems.",
}
ANY = ("", "Any")
OPEN = "open"

Choices = Sequence[tuple[str, Any]]


class TicketForm(forms.Form):
    """Element ids start with ``id_prefix``: several forms share the ticket page."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


def choice(label: str, choices: Choices = (), **attrs: Any) -> forms.CharField:
    """A select whose value goes to the action unchecked (see the module docstring)."""
    # QuickSelect: the owner's select lists every engineer (pages.forms).
    return forms.CharField(
        label=label, required=False, widget=QuickSelect(choices=choices, attrs=attrs)
    )


def text(label: str, *, max_length: int | None = None, rows: int = 0, **attrs: Any) -> Any:
    """Required in the browser, not here: an empty field gets the action's sentence."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs.update({"required": True, **attrs})
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


def request_key_field() -> forms.CharField:
    """A hidden key made each time the form is shown (``tickets.idempotency``): the same form
    posted twice (a double-click, a retry after an error) writes once."""
    return forms.CharField(
        required=False, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )


def request_key(cleaned_data: Mapping[str, Any]) -> RequestKey | None:
    """The posted form's key, checked (a refusal on the key's field if it is malformed)."""
    return RequestKey.parse(cleaned_data.get(KEY_FIELD), field_name=KEY_FIELD)


def set_choices(form: forms.Form, name: str, choices: Choices) -> None:
    widget = form.fields[name].widget
    assert isinstance(widget, forms.Select)
    widget.choices = list(choices)


class OpenTicketForm(TicketForm):
    id_prefix = "open"
    sen = choice("License (SEN)", required=True)
    product = choice("Product", required=True)
    product_version = text("Version", max_length=50, placeholder="e.g. 10.3.2")
    environment = choice("Environment", [("", "Choose…"), *Environment.choices], required=True)
    level = forms.CharField(
        label="Level",
        required=False,
        widget=forms.RadioSelect(choices=Level.choices, attrs={"required": True}),
        help_text="L1 critical is only for production systems.",
    )
    summary = text("Summary", max_length=250)
    description = text("Description", rows=8)
    idempotency_key = request_key_field()

    def __init__(self, *args: Any, licenses: Choices, products: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "sen", licenses)
        set_choices(self, "product", [("", "Choose…"), *products])
        # With JS, choosing a license narrows the products to those it covers.
        self.fields["sen"].widget.attrs.update(
            {
                "hx-get": reverse("tickets:open"),
                "hx-target": "#product-choice",
                "hx-select": "#product-choice",
                "hx-swap": "outerHTML",
            }
        )

    def level_options(self) -> list[tuple[BoundWidget, str]]:
        """Each level's radio button with its definition, to show side by side."""
        return [(radio, LEVEL_DEFINITIONS[Level(radio.data["value"])]) for radio in self["level"]]


class CommentForm(TicketForm):
    id_prefix = "comment"
    body = text("Comment", rows=5)
    # Parsed for everyone, offered to staff only: a customer who posts it is refused by the
    # action rather than having the comment quietly made public.
    internal = forms.BooleanField(
        label="Internal note: staff only, never shown to the customer", required=False
    )
    idempotency_key = request_key_field()


class EditCommentForm(TicketForm):
    body = text("Comment", rows=5)

    def __init__(self, *args: Any, comment_id: int, **kwargs: Any) -> None:
        self.id_prefix = f"edit-{comment_id}"
        super().__init__(*args, **kwargs)


class ParticipantForm(TicketForm):
    id_prefix = "participant"
    email = forms.EmailField(label="E-mail")
    full_name = forms.CharField(
        label="Full name",
        required=False,
        max_length=150,
        help_text="Premier Support only, for someone without an account yet: they are "
        "invited to create one.",
    )


class AttachmentForm(TicketForm):
    id_prefix = "attachment"
    # Not required here: the view tells an empty upload from one refused for its size.
    file = forms.FileField(
        label="File", required=False, widget=forms.ClearableFileInput(attrs={"required": True})
    )
    internal = forms.BooleanField(label="Internal: staff only", required=False)
    idempotency_key = request_key_field()


class TransitionForm(TicketForm):
    id_prefix = "transition"
    to = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = reason_field("Reason (optional)")
    # Closing is final: the page asks first, and only the confirming form carries this.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class LevelForm(TicketForm):
    id_prefix = "level"
    level = choice("Level", Level.choices)
    reason = reason_field("Reason (optional)")


class OwnerForm(TicketForm):
    id_prefix = "owner"
    owner = choice("Engineer")
    reason = reason_field("Reason (optional)")

    def __init__(self, *args: Any, engineers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", [("", "Choose…"), *engineers])


class FollowTheSunForm(TicketForm):
    """Its buttons post ``on`` (true or false): marking and unmarking are two distinct asks."""

    id_prefix = "follow"
    on = forms.TypedChoiceField(
        choices=[("true", "Mark"), ("false", "Unmark")],
        coerce=lambda value: value == "true",
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to mark or to unmark the ticket."},
    )
    reason = reason_field("Reason (optional)")


class CallForm(ZonedForm):
    id_prefix = "call"
    direction = choice("Direction", [("", "Choose…"), *CallDirection.choices], required=True)
    phone_number = text("Number", max_length=40)
    spoke_with = forms.CharField(label="Spoke with", required=False, max_length=200)
    started_at = LocalDateTimeField(label="Started")
    duration_minutes = forms.IntegerField(label="Duration (minutes)", min_value=0, max_value=1440)
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff only: the customer sees that the call happened, never the notes.",
    )


def status_choices() -> list[tuple[str, str]]:
    return [ANY, (OPEN, "Open (not resolved or closed)"), *Status.choices]


class TicketFilterForm(TicketForm):
    """The portal list's filters; unknown values are ignored rather than refused."""

    id_prefix = "f"
    status = forms.ChoiceField(label="Status", required=False, choices=status_choices)
    level = forms.ChoiceField(label="Level", required=False, choices=[ANY, *Level.choices])

    def statuses(self) -> list[str] | None:
        chosen = self.cleaned_data.get("status")
        if chosen == OPEN:
            return sorted(OPEN_STATUSES)
        return [chosen] if chosen else None

    def levels(self) -> list[str] | None:
        chosen = self.cleaned_data.get("level")
        return [chosen] if chosen else None


class QueueFilterForm(TicketFilterForm):
    # Every engineer and organization is an option: QuickSelect writes them (pages.forms).
    product = forms.ChoiceField(label="Product", required=False, widget=QuickSelect)
    owner = forms.ChoiceField(label="Owner", required=False, widget=QuickSelect)
    office = forms.ChoiceField(label="Office", required=False, widget=QuickSelect)
    organization = forms.ChoiceField(label="Organization", required=False, widget=QuickSelect)

    def __init__(self, *args: Any, options: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in options.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [ANY, *choices]
