"""URLs of the console's reports pages: the reports, and the SLA attainment."""

from django.urls import path

from premierdesk.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.reports_page, name="reports"),
    path("reports/form/", views.report_form, name="form"),
    path("sla/attainment/", views.attainment_page, name="attainment"),
]
