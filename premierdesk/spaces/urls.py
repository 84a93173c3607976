"""Pages of spaces: the portal's own space for a customer, the console's spaces for staff."""

from django.urls import path

from premierdesk.spaces import views

app_name = "spaces"
CONSOLE_PAGE = "console/spaces/<slug:org>/<slug:page_slug>/"
urlpatterns = [
    path("portal/space/", views.portal_space, name="portal"),
    path("portal/space/<slug:page_slug>/", views.portal_page, name="portal-page"),
    path(
        "portal/space/<slug:page_slug>/versions/<int:number>/",
        views.portal_page,
        name="portal-version",
    ),
    path("console/spaces/", views.console_spaces, name="console"),
    path("console/spaces/<slug:org>/", views.console_space, name="console-space"),
    path(CONSOLE_PAGE, views.console_page, name="console-page"),
    path(f"{CONSOLE_PAGE}versions/<int:number>/", views.console_version, name="console-version"),
]
