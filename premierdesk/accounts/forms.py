"""Forms for signing in, setting a password and naming an API token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from premierdesk.accounts import actions


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class AuditedSetPasswordForm(SetPasswordForm):
    """Django's reset form, saving through the action layer so the change is audited."""

    def save(self, commit: bool = True) -> Any:
        actions.set_password(self.user, self.user, self.cleaned_data["new_password1"])
        return self.user


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Where it will be used, e.g. 'monitoring' or 'ticket sync'.",
    )
