"""Pages of services: calendar feeds and the feed-token page; weekend standby and health
checks in the portal and the console."""

from django.urls import path

from premierdesk.services.views import feeds, health_checks, standby

app_name = "services"
CHECK = "health-checks/<int:check_id>/"
urlpatterns = [
    path("calendar/", feeds.calendar_token, name="calendar-token"),
    path("calendar/engineers/<int:engineer_id>.ics", feeds.engineer_feed, name="engineer-feed"),
    path("calendar/offices/<slug:slug>.ics", feeds.office_feed, name="office-feed"),
    path(
        "calendar/organizations/<slug:slug>.ics", feeds.organization_feed, name="organization-feed"
    ),
    path("standby/", standby.portal_standby, name="standby"),
    path("standby/<int:standby_id>/", standby.standby_detail, name="standby-detail"),
    path("standby/<int:standby_id>/withdraw/", standby.withdraw, name="standby-withdraw"),
    path("console/standby/", standby.console_standby, name="console-standby"),
    path("console/standby/<int:standby_id>/confirm/", standby.confirm, name="standby-confirm"),
    path("console/standby/<int:standby_id>/decline/", standby.decline, name="standby-decline"),
    path("health-checks/", health_checks.portal_health_checks, name="health-checks"),
    path(
        "console/health-checks/", health_checks.console_health_checks, name="console-health-checks"
    ),
    path(CHECK, health_checks.health_check, name="health-check"),
    path(f"{CHECK}schedule/", health_checks.schedule, name="health-check-schedule"),
    path(f"{CHECK}start/", health_checks.start, name="health-check-start"),
    path(f"{CHECK}findings/", health_checks.add_finding, name="health-check-finding"),
    path(
        f"{CHECK}findings/<int:finding_id>/done/",
        health_checks.finish_finding,
        name="health-check-finding-done",
    ),
    path(f"{CHECK}deliver/", health_checks.deliver, name="health-check-deliver"),
    path(f"{CHECK}cancel/", health_checks.cancel, name="health-check-cancel"),
]
