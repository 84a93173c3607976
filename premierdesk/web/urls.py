from django.urls import path

from premierdesk.web import expiry, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("portal/", views.portal, name="portal"),
    path("console/", views.console, name="console"),
    path("health", views.health, name="health"),
    path("form-expired/", expiry.form_expired, name="form-expired"),
    path("favicon.ico", views.favicon, name="favicon"),
]
