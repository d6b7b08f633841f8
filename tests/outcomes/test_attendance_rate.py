"""The attendance rate has one definition (README, "Attendance rate"): the dashboard, the group
page, the case page, the progress report and the outcome exports all show the same figure."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from outcomes import exports
from outcomes import figures as outcome_figures
from participants.models import Status
from participants.services import participant_change_status
from sessions import services
from sessions.models import Session
from sessions.reports import progress_context
from sessions.selectors import attendance_figure, man_progress
from tests.sessions.conftest import TODAY, make_group, programme, scheduled, waiting_man  # noqa: F401


def mark(man, session, outcome, by):
    services.attendance_mark(session=session, participant=man, outcome=outcome, by=by)


@pytest.fixture
def group_with_history(org_a, make_group, waiting_man):  # noqa: F811
    """A group that started six weeks ago (sessions in weeks 1-6 held, week 7 today).

    Tom (from week 1): present, late, authorised, unauthorised, present, never marked; today
    present. Dan (from week 3): present ×4, and a session after today that is cancelled.
    Sam (from week 1): present, present, then withdrawn: his later sessions are not his."""
    group = make_group(weeks_ago=6)
    held = scheduled(group)
    by = org_a.facilitator
    tom, dan, sam = (waiting_man(last_name=name) for name in ("Baxter", "Dawson", "Smith"))
    services.enrolment_allocate(participant=tom, group=group, by=by, first_session=held[0])
    services.enrolment_allocate(participant=dan, group=group, by=by, first_session=held[2])
    services.enrolment_allocate(participant=sam, group=group, by=by, first_session=held[0])
    for session, outcome in zip(
        held, ["present", "late", "authorised", "unauthorised", "present"], strict=False
    ):
        mark(tom, session, outcome, by)
    mark(tom, held[6], "present", by)  # today
    for session in held[2:6]:
        mark(dan, session, "present", by)
    services.session_cancel(session=held[8], by=org_a.manager, reason="Venue closed")
    mark(sam, held[0], "present", by)
    mark(sam, held[1], "present", by)
    participant_change_status(participant=sam, to_status=Status.WITHDRAWN, by=by, reason="Moved")
    # He withdrew on the day of week 3 (the record's date, as a history import would give it).
    type(sam).objects.filter(pk=sam.pk).update(
        status_changed_at=timezone.make_aware(
            datetime.datetime.combine(held[2].date, datetime.time(20))
        )
    )
    return group, tom, dan, sam


def _percent(text: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}"[^>]*>[^<]*?(\d+)%', text)
    assert found, testid
    return int(found.group(1))


def test_the_definition_counts_expected_sessions_that_have_taken_place(group_with_history):
    group, tom, dan, sam = group_with_history
    # Tom: 7 expected (6 past, today's once marked), 4 attended (present, late, present,
    # today); the authorised absence and the unmarked session count as not attended.
    assert man_progress(tom)["attendance"].attended == 4
    assert man_progress(tom)["attendance"].expected == 7
    # Dan: weeks 3-6 held, all attended; today's unmarked session does not count yet.
    assert (man_progress(dan)["attendance"].attended, man_progress(dan)["attendance"].expected) == (
        4,
        4,
    )
    # Sam: only the sessions up to the day his case closed (weeks 1-3).
    assert (man_progress(sam)["attendance"].attended, man_progress(sam)["attendance"].expected) == (
        2,
        3,
    )
    assert Session.objects.filter(group=group, status="cancelled").count() == 1


def test_dashboard_group_case_and_reports_show_the_same_rate(client_for, org_a, group_with_history):
    group, tom, dan, sam = group_with_history
    expected = attendance_figure(group.enrolments.all())
    assert expected.rate is not None
    men = [tom, dan, sam]
    total = sum((man_progress(man)["attendance"] for man in men), type(expected)())
    assert total == expected  # the men's figures add up to the group's

    manager = client_for(org_a.manager, reauthenticated=True)
    dashboard = manager.get(reverse("outcomes:index")).content.decode()
    assert f"{expected.rate}%" in re.search(
        r"Attendance rate</dt><dd[^>]*>([^<]*)<", dashboard
    ).group(1)
    shown = outcome_figures.programme_figures(org_a.organisation, outcome_figures.Filters())
    assert shown["attendance_rate"] == expected.rate
    filtered = outcome_figures.programme_figures(
        org_a.organisation, outcome_figures.Filters(group_id=group.pk)
    )
    assert filtered["attendance_rate"] == expected.rate

    facilitator = client_for(org_a.facilitator)
    page = facilitator.get(reverse("group_sessions:group", args=[group.public_id])).content.decode()
    assert _percent(page, "group-attendance-rate") == expected.rate
    for man in men:
        figure = man_progress(man)["attendance"]
        case = facilitator.get(reverse("participants:detail", args=[man.public_id])).content
        assert f"{figure.attended} of {figure.expected} sessions attended" in case.decode()
        if figure.rate is not None:
            assert f"({figure.rate}%)" in case.decode()
        assert progress_context(man)["progress"]["rate"] == figure.rate
    active = [tom, dan]  # the group page lists the men still in it
    for man in active:
        figure = man_progress(man)["attendance"]
        assert f"attended {figure.attended} of {figure.expected} sessions" in page

    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx([], shown)))
    values = {row[0]: row[1] for row in workbook.worksheets[1].iter_rows(values_only=True) if row}
    assert values["Attendance rate (%)"] == expected.rate


def test_the_group_page_and_the_case_page_read_in_russian(client_for, org_a, group_with_history):
    group, tom, _dan, _sam = group_with_history
    facilitator = client_for(org_a.facilitator)
    page = facilitator.get(
        reverse("group_sessions:group", args=[group.public_id]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "занятия: посетил 4 из 7" in page
    rate = attendance_figure(group.enrolments.all()).rate
    assert f"{rate}%" in page.split('data-testid="group-attendance-rate"')[1].split("</p>")[0]
    case = facilitator.get(
        reverse("participants:detail", args=[tom.public_id]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "(57%)" in case.split('data-testid="attendance-rate"')[1].split("</dd>")[0]


def test_the_nightly_counts_behind_the_coalition_use_the_same_definition(org_a, group_with_history):
    from outcomes.counts import organisation_counts

    counts = organisation_counts(org_a.organisation)["attendance"]
    expected = sum(cell[0] for cell in counts.values())
    attended = sum(cell[1] for cell in counts.values())
    figure = attendance_figure(group_with_history[0].enrolments.all())
    assert (attended, expected) == (figure.attended, figure.expected)
