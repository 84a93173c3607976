"""Pages of escalations: forms posted from the ticket page, and the console's escalations,
callbacks and developer-assistance queue."""

from django.urls import path

from premierdesk.escalations import views

app_name = "escalations"
TICKET = "tickets/<str:key>/"
urlpatterns = [
    path(f"{TICKET}escalate/", views.escalate, name="escalate"),
    path(f"{TICKET}callback/", views.request_callback, name="callback"),
    path(f"{TICKET}ask-developers/", views.ask_developers, name="ask-developers"),
    path("console/escalations/", views.escalations_page, name="console"),
    path("console/escalations/<int:escalation_id>/resolve/", views.resolve, name="resolve"),
    path(
        "console/escalations/callbacks/<int:callback_id>/outcome/",
        views.callback_outcome,
        name="callback-outcome",
    ),
    path("console/developer-assistance/", views.assistance_page, name="assistance"),
    path("console/developer-assistance/<int:request_id>/answer/", views.answer, name="answer"),
]
