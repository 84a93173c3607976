"""URLs of the console's reports page."""

from django.urls import path

from premierdesk.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports_page, name="reports"),
    path("form/", views.report_form, name="form"),
]
