"""The SLA configuration in the admin: rules and the policy, and calendars edited or filled in
their own admin pages. Every change is audited row by row, refused with a clear sentence when
wrong, and re-derives open tickets' clocks once it commits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from premierdesk.audit.models import AuditEntry
from premierdesk.calendars.models import CoverageCalendar
from premierdesk.calendars.tests.helpers import calendar_form, change_url
from premierdesk.jobs.tests.helpers import run_worker_in_test
from premierdesk.sla.models import CalendarRule, SlaPolicy, TicketClock
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


@pytest.fixture
def admin_client(as_user, administrator):
    return as_user(administrator)


@pytest.fixture
def around_the_clock(ticket):
    """The calendar of the ticket's L2 on Jira Software (the default rules); it has no rows."""
    return CoverageCalendar.objects.get(slug="24x7")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request's on-commit work (enqueueing jobs) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def run_jobs() -> list[DBTaskResult]:
    run_worker_in_test()
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def due(ticket) -> datetime | None:
    return TicketClock.objects.get(ticket=ticket, kind="first_response").due_at


ALOHA = {"first": "2026-05-04", "last": "2026-05-04", "zone": "Pacific/Honolulu", "label": "Aloha"}


def test_a_holiday_added_in_the_admin_is_audited_and_moves_open_clocks(
    admin_client, administrator, around_the_clock, ticket, committed
):
    page = admin_client.get(change_url(around_the_clock))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()  # the ICS upload
    assert due(ticket) == NOW + 120 * M

    with committed():
        response = admin_client.post(
            change_url(around_the_clock), calendar_form(around_the_clock, holidays=[ALOHA])
        )
    assert response.status_code == 302

    entry = AuditEntry.objects.get(action="calendars.calendarholiday.created")
    assert entry.actor == administrator
    assert entry.changes == {
        "calendar": [None, around_the_clock.pk],
        "first": [None, "2026-05-04"],
        "label": [None, "Aloha"],
        "last": [None, "2026-05-04"],
        "zone": [None, "Pacific/Honolulu"],
    }
    [job] = run_jobs()
    assert job.args_kwargs["kwargs"] == {"calendar_ids": [around_the_clock.pk]}
    assert (job.status, job.return_value) == ("SUCCESSFUL", 1)
    assert due(ticket) == datetime(2026, 5, 5, 11, 0, tzinfo=UTC)


ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Premier Desk tests//EN\r
BEGIN:VEVENT\r
SUMMARY:Lei Day\r
DTSTART;VALUE=DATE:20260504\r
DTEND;VALUE=DATE:20260505\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_ics_file_uploaded_on_the_calendar_page_is_imported(
    admin_client, administrator, around_the_clock, ticket, committed
):
    data = calendar_form(around_the_clock) | {
        "ics_file": SimpleUploadedFile("holidays.ics", ICS, content_type="text/calendar"),
        "zone": "Pacific/Honolulu",
    }
    with committed():
        response = admin_client.post(change_url(around_the_clock), data, follow=True)
    assert "Imported 1 new holidays or closures." in response.content.decode()
    assert list(around_the_clock.holidays.values_list("first", "last", "label")) == [
        (date(2026, 5, 4), date(2026, 5, 4), "Lei Day")
    ]
    assert AuditEntry.objects.get(action="sla.holidays_imported").actor == administrator
    [job] = run_jobs()  # the import's own; the calendar itself did not change
    assert job.return_value == 1
    assert due(ticket) == datetime(2026, 5, 5, 11, 0, tzinfo=UTC)


def rule_form(rule: CalendarRule, **changes: str) -> dict[str, str]:
    data = {"priority": str(rule.priority), "calendar": str(rule.calendar_id)}
    data |= {"level": rule.level, "weekend_class": rule.weekend_class}
    return data | changes


def test_a_rule_change_recomputes_every_open_ticket(
    admin_client, ticket, kestrel_ticket, committed
):
    weekdays = CoverageCalendar.objects.get(slug="premier-24x5")
    rule = CalendarRule.objects.get(level="L2", weekend_class="l1_l2")
    with committed():
        response = admin_client.post(
            f"/admin/sla/calendarrule/{rule.pk}/change/",
            rule_form(rule, calendar=str(weekdays.pk)),
        )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="sla.calendarrule.changed")
    assert entry.changes["calendar"][1] == weekdays.pk
    [job] = run_jobs()
    assert (job.args_kwargs["kwargs"], job.return_value) == ({"calendar_ids": None}, 2)


def test_the_fallback_rule_stays(admin_client, ticket, products):
    fallback = CalendarRule.objects.get(level="", weekend_class="")
    url = f"/admin/sla/calendarrule/{fallback.pk}/"
    assert admin_client.get(url + "delete/").status_code == 403
    page = admin_client.post(url + "change/", rule_form(fallback, level="L4"))
    assert page.status_code == 200
    assert "the only rule without conditions" in page.content.decode()
    listing = admin_client.get("/admin/sla/calendarrule/").content.decode()
    assert "any ticket (the fallback)" in listing
    assert "level: L1; weekend class: l1_l2" in listing


def test_the_sla_policy_is_edited_audited_and_applied(admin_client, ticket, committed):
    policy = SlaPolicy.objects.get()
    url = f"/admin/sla/slapolicy/{policy.pk}/change/"
    pausing = '{"next_update": ["waiting_for_customer"], "resolution": ["inactive"]}'
    with committed():
        response = admin_client.post(url, {"warning_percents": "[25, 90]", "pausing": pausing})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="sla.slapolicy.changed")
    assert entry.changes["warning_percents"] == [[50, 75], [25, 90]]
    run_jobs()
    clock = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert clock.threshold_times() == [NOW + 30 * M, NOW + 108 * M, NOW + 120 * M]
    assert admin_client.get("/admin/sla/slapolicy/add/").status_code == 403
    assert admin_client.get(url.replace("change", "delete")).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("warning_percents", "[75, 50]", "rising percentages between 0 and 100"),
        ("warning_percents", "[50, 100]", "rising percentages between 0 and 100"),
        ("pausing", '{"lunch": []}', "“lunch” is not a clock"),
        ("pausing", '{"resolution": ["on_hold"]}', "“on_hold” is not a ticket status"),
    ],
)
def test_a_wrong_policy_is_refused(admin_client, ticket, field, value, said):
    policy = SlaPolicy.objects.get()
    data = {"warning_percents": "[50, 75]", "pausing": "{}"} | {field: value}
    page = admin_client.post(f"/admin/sla/slapolicy/{policy.pk}/change/", data)
    assert page.status_code == 200
    assert said in page.context["adminform"].form.errors[field][0]


def test_ticket_clocks_are_read_only(admin_client, ticket):
    clock = TicketClock.objects.get(ticket=ticket, kind="first_response")
    listing = admin_client.get("/admin/sla/ticketclock/")
    assert listing.status_code == 200
    assert ticket.key in listing.content.decode()
    page = admin_client.get(f"/admin/sla/ticketclock/{clock.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(f"/admin/sla/ticketclock/{clock.pk}/delete/").status_code == 403


def test_deleting_a_rule_is_audited_and_recomputes(admin_client, ticket, committed):
    rule = CalendarRule.objects.get(level="L1", weekend_class="l1")
    with committed():
        response = admin_client.post(f"/admin/sla/calendarrule/{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarRule.objects.filter(pk=rule.pk).exists()
    assert AuditEntry.objects.filter(
        action="sla.calendarrule.deleted", object_id=str(rule.pk)
    ).exists()
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"calendar_ids": None}


@pytest.mark.parametrize(
    "path",
    [
        "calendarrule/",
        "calendarrule/add/",
        "slapolicy/",
        "ticketclock/",
    ],
)
def test_the_sla_admin_pages_open(admin_client, ticket, path):
    assert admin_client.get(f"/admin/sla/{path}").status_code == 200
