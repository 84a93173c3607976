"""URLs of the console's rota pages (staff)."""

from django.urls import path

from premierdesk.offices import views

app_name = "offices"
urlpatterns = [
    path("", views.rota_page, name="rota"),
    path("coverage/", views.coverage_page, name="coverage"),
]
