"""URLs of the console's rota pages (staff), closing an office early, and my handovers."""

from django.urls import path

from premierdesk.offices import views

app_name = "offices"
urlpatterns = [
    path("", views.rota_page, name="rota"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("<slug:slug>/close-early/", views.close_early, name="close-early"),
    path("handovers/", views.handovers_page, name="mine"),
    path("handovers/<str:key>/note/", views.write_note, name="write-note"),
    path("handovers/<int:handover_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
