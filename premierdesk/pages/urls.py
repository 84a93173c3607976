"""URLs of the page base: the favicon and the expired-form page."""

from django.urls import path

from premierdesk.pages import expiry, views

app_name = "pages"
urlpatterns = [
    path("form-expired/", expiry.form_expired, name="form-expired"),
    path("favicon.ico", views.favicon, name="favicon"),
]
