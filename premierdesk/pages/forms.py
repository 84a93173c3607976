"""Form pieces every page shares: date-times typed in the viewer's own zone, reasons, a select
for long lists, and the one way a page submits a form to an action (the refusal beside the
field it names)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from premierdesk.lib.errors import ActionError
from premierdesk.lib.instants import out_of_range

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class QuickSelect(forms.Select):
    """``forms.Select`` with its options written here rather than each through a template
    include and an option dictionary: the queue's filter lists every organization and
    engineer (600 options at the toolkit's size), and Django's way took most of the page's
    time. The same elements, attributes, chosen option and escaping as ``Select`` gives
    (tested side by side)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = [str(v) for v in self.format_value(value)]
        parts: list[str] = [
            format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))
        ]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group: its label, then its options
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts += [self._option(v, text, chosen) for v, text in label]
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every part is escaped here

    @staticmethod
    def _option(value: Any, label: Any, chosen: list[str]) -> str:
        """One option; like ``Select``, only the first option with the chosen value is
        selected (``chosen`` is emptied once it is)."""
        text = "" if value is None else str(value)
        selected = text in chosen
        if selected:
            chosen.clear()
        mark = " selected" if selected else ""
        return f'<option value="{escape(text)}"{mark}>{escape(label)}</option>'


def in_range(value: date | None) -> None:
    """The validator of every date and date-time a page takes: years 2000 to 2100."""
    problem = out_of_range(value) if value is not None else None
    if problem is not None:
        raise ValidationError(problem, code="out_of_range")


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read in the viewer's own time zone, returned in UTC."""

    default_validators = [in_range]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zone = ZoneInfo("UTC")

    def to_python(self, value: Any) -> datetime | None:
        # Explicitly the viewer's zone, not whatever zone happens to be active; Django's
        # parser then refuses times that a DST change makes ambiguous or non-existent.
        with timezone.override(self.zone):
            parsed = super().to_python(value)
        return parsed.astimezone(UTC) if parsed is not None else None


class ZonedForm(forms.Form):
    """A form whose date-time fields are typed in ``zone`` (the viewer's time zone)."""

    id_prefix = "id"  # two forms on one page must not share element ids

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, LocalDateTimeField):
                field.zone = zone
                field.help_text = f"In your time zone, {zone.key}."


def reason_field(label: str = "Reason", *, required_in_browser: bool = False) -> forms.CharField:
    # Never required here: whether a reason is needed is the action's rule, and its sentence
    # is what the person should read. The browser may still ask for one up front.
    attrs = {"rows": 2, **({"required": True} if required_in_browser else {})}
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs=attrs))


def show_refusal(form: forms.Form, refusal: ActionError) -> None:
    """Put the action's sentence beside the field it names, or above the form."""
    named = [error.field for error in refusal.errors if error.field in form.fields]
    form.add_error(named[0] if named else None, refusal.detail)


T = TypeVar("T")


@dataclass(frozen=True)
class Refused:
    """Why a posted form comes back as typed: its own checks failed (400, no ``refusal``),
    or the action refused, its sentence shown beside its field (the refusal's status)."""

    status: int
    refusal: ActionError | None = None


def submit(
    form: forms.Form,
    act: Callable[[dict[str, Any]], T],
    *,
    done: Callable[[T], HttpResponse],
    refused: Callable[[Refused], HttpResponse],
) -> HttpResponse:
    """Run ``act`` on a valid form's data and answer ``done(result)``. An invalid form, or a
    refusal (shown beside its field), answers ``refused(why)``: the page again, with the form
    keeping what was typed."""
    if not form.is_valid():
        return refused(Refused(400))
    try:
        result = act(form.cleaned_data)
    except ActionError as refusal:
        show_refusal(form, refusal)
        return refused(Refused(refusal.status, refusal))
    return done(result)


def after_change(
    request: HttpRequest,
    notice: str,
    then: str,
    fresh: Callable[[str], HttpResponse] | None = None,
) -> HttpResponse:
    """After a change: htmx gets ``fresh(notice)``, the part of the page it swaps; a plain
    POST (any POST, without ``fresh``) is redirected to ``then`` with the notice as a message,
    so reloading the page never repeats the change."""
    if fresh is not None and request.htmx:  # type: ignore[attr-defined]
        return fresh(notice)
    messages.success(request, notice)
    return redirect(then)
