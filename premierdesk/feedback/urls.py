"""Pages of feedback: the survey a customer answers from the e-mailed link."""

from django.urls import path

from premierdesk.feedback import views

app_name = "feedback"
urlpatterns = [
    path("survey/<str:token>/", views.survey, name="survey"),
]
