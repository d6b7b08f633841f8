"""Making a group's schedule: weekly sessions with their themes, closures skipped, cancellations
moving the rest of the schedule on, moves, and no facilitator in two places at once."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dvpp.models import ClosureDate
from sessions import services
from sessions.models import Group, Session
from tests.sessions.conftest import scheduled

WEEK = datetime.timedelta(weeks=1)
# A Wednesday whose next 31 weeks hold no public holiday in England (the test organisation's
# calendar): the dates below are those of a plain weekly schedule. On the day the tests run,
# Christmas or Easter may fall on today's weekday and be skipped, rightly.
TODAY = datetime.date(2027, 1, 6)


@pytest.fixture(autouse=True)
def _a_term_without_public_holidays():
    london = zoneinfo.ZoneInfo("Europe/London")
    with time_machine.travel(datetime.datetime(2027, 1, 6, 10, 0, tzinfo=london), tick=False):
        yield


def test_a_new_group_gets_thirty_weekly_sessions_with_the_themes_in_order(make_group):
    group = make_group()
    sessions = scheduled(group)
    assert len(sessions) == 30
    assert [s.theme.number for s in sessions] == list(range(1, 31))
    assert [s.date for s in sessions] == [TODAY + i * WEEK for i in range(30)]
    assert all(s.start_time == group.start_time for s in sessions)


def test_closure_dates_are_skipped_and_push_the_end_date(org_a, make_group):
    ClosureDate.objects.create(
        organisation=org_a.organisation, date=TODAY + 2 * WEEK, name_en="Holiday"
    )
    sessions = scheduled(make_group())
    dates = [s.date for s in sessions]
    assert TODAY + 2 * WEEK not in dates
    assert dates[2] == TODAY + 3 * WEEK
    assert dates[-1] == TODAY + 30 * WEEK
    assert [s.theme.number for s in sessions] == list(range(1, 31))


def test_cancelling_a_session_moves_its_theme_and_the_rest_of_the_schedule_on(org_a, make_group):
    group = make_group()
    before = scheduled(group)
    week5 = before[4]
    replacement = services.session_cancel(session=week5, by=org_a.facilitator, reason="Snow")
    after = scheduled(group)
    assert len(after) == 30  # he still receives every theme
    assert [s.theme.number for s in after] == list(range(1, 31))
    assert replacement.theme.number == 5 and replacement.date == TODAY + 5 * WEEK
    assert after[5].theme.number == 6 and after[5].date == TODAY + 6 * WEEK
    assert after[-1].date == TODAY + 30 * WEEK  # the end date moved one week
    assert [s.date for s in after[:4]] == [s.date for s in before[:4]]
    cancelled = Session.objects.get(pk=week5.pk)
    assert cancelled.is_cancelled and cancelled.cancel_reason == "Snow"


def test_cancelling_skips_closures_when_the_schedule_grows(org_a, make_group):
    group = make_group()
    ClosureDate.objects.create(
        organisation=org_a.organisation, date=TODAY + 30 * WEEK, name_en="Holiday"
    )
    services.session_cancel(session=scheduled(group)[0], by=org_a.facilitator, reason="Ill")
    assert scheduled(group)[-1].date == TODAY + 31 * WEEK


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(org_a, make_group, reason):
    group = make_group()
    with pytest.raises(ValidationError):
        services.session_cancel(session=scheduled(group)[3], by=org_a.facilitator, reason=reason)
    assert not group.sessions.filter(status="cancelled").exists()


def test_a_session_cannot_be_cancelled_twice(org_a, make_group):
    session = scheduled(make_group())[3]
    services.session_cancel(session=session, by=org_a.facilitator, reason="x")
    with pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(session=session, by=org_a.facilitator, reason="x")


def test_moving_a_session_changes_only_that_session(org_a, make_group):
    group = make_group()
    sessions = scheduled(group)
    new_day = sessions[2].date + datetime.timedelta(days=2)
    services.session_move(
        session=sessions[2],
        by=org_a.facilitator,
        date=new_day,
        start_time=datetime.time(17, 0),
        reason="Venue booked",
    )
    moved = Session.objects.get(pk=sessions[2].pk)
    assert (moved.date, moved.start_time, moved.moved_from) == (
        new_day,
        datetime.time(17, 0),
        sessions[2].date,
    )
    assert [s.date for s in scheduled(group)][3:] == [s.date for s in sessions][3:]


def test_a_session_cannot_move_onto_a_closure_date(org_a, make_group):
    group = make_group()
    closed = TODAY + 2 * WEEK + datetime.timedelta(days=1)
    ClosureDate.objects.create(organisation=org_a.organisation, date=closed, name_en="Holiday")
    with pytest.raises(ValidationError, match="closed on that day"):
        services.session_move(
            session=scheduled(group)[2],
            by=org_a.facilitator,
            date=closed,
            start_time=datetime.time(18, 0),
            reason="x",
        )


def test_a_facilitator_cannot_run_two_groups_at_the_same_time(make_group):
    make_group(name="Evening group")
    with pytest.raises(ValidationError, match="already runs"):
        make_group(name="Clashing group", start_time=datetime.time(19, 0))
    assert list(Group.objects.values_list("name", flat=True)) == ["Evening group"]
    make_group(name="Morning group", start_time=datetime.time(10, 0))  # no overlap: fine


def test_moving_a_session_into_another_groups_time_is_refused(make_group):
    first = make_group(name="A", start_time=datetime.time(18, 0))
    second = make_group(name="B", start_time=datetime.time(10, 0), weeks_ago=0)
    with pytest.raises(ValidationError, match="already runs"):
        services.session_move(
            session=scheduled(second)[1],
            by=second.facilitator,
            date=scheduled(first)[1].date,
            start_time=datetime.time(19, 0),
            reason="x",
        )


def test_a_programme_without_all_its_themes_cannot_be_scheduled(make_group, programme):
    programme.themes.filter(number=30).delete()
    with pytest.raises(ValidationError, match="29 themes for 30 sessions"):
        make_group()
    assert not Group.objects.exists()


def test_first_session_must_fall_on_the_groups_weekday(make_group):
    with pytest.raises(ValidationError, match="weekday"):
        make_group(weekday=(TODAY.weekday() + 1) % 7)


def test_the_group_form_creates_a_group_with_its_schedule(client_for, org_a, programme):
    response = client_for(org_a.manager).post(
        reverse("group_sessions:group_create"),
        {
            "programme": programme.pk,
            "name": "Tuesday group",
            "facilitator": org_a.facilitator.pk,
            "co_facilitator": org_a.manager.pk,
            "venue": "Room 4",
            "weekday": TODAY.weekday(),
            "start_time": "18:00",
            "duration_minutes": 150,
            "start_date": TODAY.isoformat(),
            "capacity": 12,
            "intake": "rolling",
        },
        follow=True,
    )
    assert "created with its schedule" in response.content.decode()
    assert Group.objects.get().sessions.count() == 30


def test_the_group_form_refuses_the_same_person_twice(client_for, org_a, programme):
    response = client_for(org_a.manager).post(
        reverse("group_sessions:group_create"),
        {
            "programme": programme.pk,
            "name": "X",
            "facilitator": org_a.facilitator.pk,
            "co_facilitator": org_a.facilitator.pk,
            "venue": "Room",
            "weekday": TODAY.weekday(),
            "start_time": "18:00",
            "duration_minutes": 150,
            "start_date": TODAY.isoformat(),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    assert "must be different people" in response.content.decode()
    assert not Group.objects.exists()


def test_cancel_through_the_register_page(client_for, org_a, make_group):
    group = make_group()
    session = scheduled(group)[2]
    response = client_for(org_a.facilitator).post(
        reverse("group_sessions:cancel", args=[session.public_id]),
        {"reason": "Facilitator ill"},
        follow=True,
    )
    assert "Session cancelled." in response.content.decode()
    assert Session.objects.get(pk=session.pk).is_cancelled
