"""Pages of feedback: the survey a customer answers from the e-mailed link."""

from django.urls import URLPattern

app_name = "feedback"
urlpatterns: list[URLPattern] = []
