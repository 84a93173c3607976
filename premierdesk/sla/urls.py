from django.urls import path

from premierdesk.sla import views

app_name = "sla"
urlpatterns = [path("attainment/", views.attainment_page, name="attainment")]
