"""Forms for signing in, setting a password and naming an API token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string

from premierdesk.accounts import actions
from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User, normalize_email
from premierdesk.lib.errors import ActionError
from premierdesk.notifications.actions import queue_email

if TYPE_CHECKING:
    # django-stubs make the form generic in its user model; Django's class itself is not.
    UserSetPasswordForm = SetPasswordForm[User]
else:
    UserSetPasswordForm = SetPasswordForm


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class InvitationAwarePasswordResetForm(PasswordResetForm):
    """Django's form, but an invited person (no password yet) can ask for a new link too,
    in case their invitation expired before they used it."""

    def get_users(self, email: str) -> Iterator[Any]:
        return iter(User.objects.filter(email=normalize_email(email), is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Through the outbox, so a mail server that is down loses nothing and the page
        # does not wait for it. One message per link (uid and token).
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        event_key = f"accounts.password_reset:{context['uid']}:{context['token']}"
        with transaction.atomic():
            queue_email(event_key, to_email, subject, body)


class AuditedSetPasswordForm(UserSetPasswordForm):
    """Django's reset form, saving through the action layer so the change is audited and
    the account's sessions and API tokens end."""

    tokens_revoked = 0

    def save(self, commit: bool = True) -> Any:
        self.tokens_revoked = actions.set_password(
            self.user, self.user, self.cleaned_data["new_password1"]
        )
        return self.user


class AuditedPasswordChangeForm(PasswordChangeForm, AuditedSetPasswordForm):
    """Changing one's own password: the current one first (checked under the sign-in
    lock-outs), then as a reset."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(current_user(request), *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        try:
            actions.confirm_password(self.request, self.user, old_password)
        except ActionError as exc:
            raise forms.ValidationError(exc.detail) from exc
        return old_password


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Where it will be used, e.g. 'monitoring' or 'ticket sync'.",
    )
