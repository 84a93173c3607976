"""Pages of spaces (portal and console)."""

from django.urls import URLPattern

app_name = "spaces"
urlpatterns: list[URLPattern] = []
