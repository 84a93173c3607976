"""Sign-in, sign-out, password reset and change, and the personal API tokens page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from premierdesk.accounts import actions
from premierdesk.accounts.access import current_user
from premierdesk.accounts.forms import (
    AuditedPasswordChangeForm,
    AuditedSetPasswordForm,
    InvitationAwarePasswordResetForm,
    NewTokenForm,
    SignInForm,
)
from premierdesk.accounts.models import ApiToken, User
from premierdesk.pages.forms import Refused, submit


def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = SignInForm(request.POST or None)

    def signed_in(user: User) -> HttpResponse:
        auth.login(request, user)
        safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(next_url if next_url and safe else "web:home")

    def shown(_: Refused | None = None) -> HttpResponse:
        # Any refusal is a 400 here: a sign-in page says no more than that the pair is wrong.
        status = 400 if form.errors else 200
        context = {"form": form, "next": next_url}
        return render(request, "accounts/sign_in.html", context, status=status)

    if request.method != "POST":
        return shown()
    return submit(
        form,
        lambda data: actions.sign_in(request, data["email"], data["password"]),
        done=signed_in,
        refused=shown,
    )


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin site's login is our sign-in page, so the lock-outs and the audit apply there
    too; the person comes back to where the admin sent them from."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': next_url})}")


sign_out = auth_views.LogoutView.as_view()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view builds the link from the request's Host header, which whoever sends the
    request chooses; ours starts with SITE_URL, the address this installation is reached at."""

    def form_valid(self, form: Any) -> HttpResponse:
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={**(self.extra_email_context or {}), "site_url": settings.SITE_URL},
        )
        return redirect(self.get_success_url())


def _ended_everywhere(revoked: int, *, elsewhere: bool) -> str:
    tokens = "1 API token was revoked" if revoked == 1 else f"{revoked} API tokens were revoked"
    where = "everywhere else" if elsewhere else "everywhere"
    return f"Your password is changed: you were signed out {where} and {tokens}."


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=InvitationAwarePasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # A reset link never signs anyone in (post_reset_login stays off): the person signs in
    # afterwards, through the lock-outs and the audit like everyone else.
    post_reset_login = False
    template_name = "accounts/password_reset_confirm.html"
    form_class = AuditedSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        assert isinstance(form, AuditedSetPasswordForm)
        messages.success(self.request, _ended_everywhere(form.tokens_revoked, elsewhere=False))
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Everyone manages their own password: the current one, then the new one twice."""
    user = current_user(request)
    form = AuditedPasswordChangeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # This browser just proved the current password: it stays signed in; every other
        # session ends with the old password's hash.
        auth.update_session_auth_hash(request, user)
        messages.success(request, _ended_everywhere(form.tokens_revoked, elsewhere=True))
        return redirect("accounts:password-change")
    status = 400 if form.errors else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


def _tokens_context(user: User, **extra: object) -> dict[str, object]:
    return {"tokens": ApiToken.objects.filter(user=user), **extra}


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = NewTokenForm(request.POST or None)

    def shown(form: NewTokenForm, new_secret: str | None = None) -> HttpResponse:
        template = "accounts/_tokens.html" if request.htmx else "accounts/tokens.html"  # type: ignore[attr-defined]
        context = _tokens_context(user, form=form, new_secret=new_secret)
        return render(request, template, context, status=400 if form.errors else 200)

    if request.method != "POST":
        return shown(form)
    return submit(
        form,
        lambda data: actions.create_api_token(user, data["name"]),
        done=lambda made: shown(NewTokenForm(), new_secret=made[1]),
        refused=lambda _: shown(form),
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = current_user(request)
    actions.revoke_api_token(user, token_id)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "accounts/_tokens.html", _tokens_context(user, form=NewTokenForm()))
    return redirect("accounts:tokens")
