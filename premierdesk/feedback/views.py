"""The survey page a customer reaches from the e-mailed link: no sign-in, the token is the only
credential, and the page shows nothing of the ticket but its key and summary. Form, thank-you,
already answered (409) and expired (410); an unknown or altered link is a 404 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from premierdesk.feedback import actions, queries, rules
from premierdesk.feedback.forms import SurveyForm
from premierdesk.feedback.models import Answer, Invitation
from premierdesk.lib.errors import ActionError
from premierdesk.pages.forms import Refused, submit


@never_cache  # the page belongs to one link; no shared cache may keep it
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = queries.find_invitation(token)  # NotFound: the refusal page, 404
    try:
        rules.require_answer_survey(invitation, timezone.now())
    except (rules.AlreadyAnswered, rules.LinkExpired) as refusal:
        return _closed(request, invitation, refusal)
    if request.method == "POST":
        return _answer(request, invitation, token)
    return _form(request, invitation, SurveyForm())


def _answer(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    form = SurveyForm(request.POST)

    def refused(why: Refused) -> HttpResponse:
        if isinstance(why.refusal, (rules.AlreadyAnswered, rules.LinkExpired)):
            return _closed(request, invitation, why.refusal)  # answered meanwhile, or expired
        return _form(request, invitation, form, status=why.status)

    return submit(
        form,
        lambda data: actions.answer_survey(token, actions.AnswerInput(**data)),
        done=lambda answer: _thanks(request, invitation, answer),
        refused=refused,
    )


def _thanks(request: HttpRequest, invitation: Invitation, answer: Answer) -> HttpResponse:
    context = {"ticket": invitation.ticket, "answer": answer, "low": queries.is_low(answer.rating)}
    return render(request, "feedback/thanks.html", context)


def _form(
    request: HttpRequest, invitation: Invitation, form: SurveyForm, status: int = 200
) -> HttpResponse:
    context = {"ticket": invitation.ticket, "invitation": invitation, "form": form}
    return render(request, "feedback/survey.html", context, status=status)


def _closed(request: HttpRequest, invitation: Invitation, refusal: ActionError) -> HttpResponse:
    context = {"ticket": invitation.ticket, "invitation": invitation, "refusal": refusal}
    expired = isinstance(refusal, rules.LinkExpired)
    template = "feedback/expired.html" if expired else "feedback/answered.html"
    return render(request, template, context, status=refusal.status)
