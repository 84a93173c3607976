"""URL map: pages per app, the API at /api/v1/, the admin at /admin/."""

from django.contrib import admin
from django.urls import include, path, re_path

from premierdesk.accounts.views import admin_sign_in
from premierdesk.api import api
from premierdesk.restapi.errors import not_found_view

urlpatterns = [
    path("", include("premierdesk.web.urls")),
    path("", include("premierdesk.pages.urls")),
    path("accounts/", include("premierdesk.accounts.urls")),
    path("", include("premierdesk.customers.urls")),
    path("", include("premierdesk.tickets.urls")),
    path("console/audit/", include("premierdesk.audit.urls")),
    path("console/rota/", include("premierdesk.offices.urls")),
    path("console/", include("premierdesk.reports.urls")),
    path("", include("premierdesk.spaces.urls")),
    path("", include("premierdesk.services.urls")),
    path("", include("premierdesk.escalations.urls")),
    path("", include("premierdesk.feedback.urls")),
    # Before the admin's own: its login is our sign-in page (lock-outs and audit).
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", not_found_view),
]
