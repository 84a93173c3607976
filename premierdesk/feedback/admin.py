"""Surveys in the admin: invitations and answers are read-only (they change only through the
link); the survey policy is edited here, audited."""

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.feedback.models import Answer, Invitation, SurveyPolicy


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyModelAdmin[Invitation]):
    list_display = ["__str__", "contact", "sent_at", "expires_at", "answered_at"]
    # Never the token: only its digest is stored, and it is of no use to anyone.
    exclude = ["token_digest"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyModelAdmin[Answer]):
    list_display = ["__str__", "rating", "answered_at"]
    list_filter = ["rating"]


@admin.register(SurveyPolicy)
class SurveyPolicyAdmin(AuditedModelAdmin[SurveyPolicy]):
    list_display = ["__str__", "link_valid_days", "low_rating_at_most"]
