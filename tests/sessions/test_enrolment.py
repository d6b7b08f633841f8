"""Allocating men from the waiting list: capacity, rolling entry into the next cycle, moves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import Status
from sessions import services
from sessions.models import Attendance, Enrolment
from sessions.selectors import man_progress
from tests.sessions.conftest import TODAY, scheduled


def test_a_man_on_the_waiting_list_is_allocated_to_the_next_session(org_a, make_group, waiting_man):
    group = make_group(weeks_ago=3)
    man = waiting_man()
    enrolment = services.enrolment_allocate(participant=man, group=group, by=org_a.facilitator)
    assert enrolment.first_session.date == TODAY
    assert enrolment.first_session.theme.number == 4
    man.refresh_from_db()
    assert man.status == Status.ALLOCATED


def test_rolling_entry_wraps_into_the_next_cycle(org_a, make_group, waiting_man):
    group = make_group(weeks_ago=10)  # today is week 11
    man = waiting_man()
    services.enrolment_allocate(participant=man, group=group, by=org_a.facilitator)
    progress = man_progress(man)
    assert progress["remaining"] == 30
    sessions = [s for s in scheduled(group) if s.date >= TODAY][:30]
    assert [s.theme.number for s in sessions] == list(range(11, 31)) + list(range(1, 11))
    assert {s.cycle for s in sessions[20:]} == {2}


def test_a_full_group_refuses_another_man_with_a_clear_message(org_a, make_group, waiting_man):
    group = make_group(capacity=2)
    for _ in range(2):
        services.enrolment_allocate(participant=waiting_man(), group=group, by=org_a.manager)
    third = waiting_man()
    with pytest.raises(ValidationError, match="is full"):
        services.enrolment_allocate(participant=third, group=group, by=org_a.manager)
    third.refresh_from_db()
    assert third.status == Status.WAITING_LIST
    assert Enrolment.objects.count() == 2


def test_only_a_man_on_the_waiting_list_can_be_allocated(org_a, make_group, waiting_man):
    man = waiting_man()
    group = make_group()
    services.enrolment_allocate(participant=man, group=group, by=org_a.manager)
    with pytest.raises(ValidationError, match="waiting list"):
        services.enrolment_allocate(participant=man, group=group, by=org_a.manager)
    assert Enrolment.objects.count() == 1


def test_a_closed_group_takes_nobody_once_it_has_started(org_a, make_group, waiting_man):
    group = make_group(weeks_ago=2, intake="closed")
    with pytest.raises(ValidationError, match="closed intake"):
        services.enrolment_allocate(participant=waiting_man(), group=group, by=org_a.manager)


def test_a_man_of_another_organisation_cannot_be_allocated(org_a, org_b, make_group):
    from tests.factories import ParticipantFactory

    stranger = ParticipantFactory(organisation=org_b.organisation, status=Status.WAITING_LIST)
    with pytest.raises(ValidationError, match="another organisation"):
        services.enrolment_allocate(participant=stranger, group=make_group(), by=org_a.manager)


def test_moving_a_man_keeps_his_attendance_and_counts_his_sessions(org_a, make_group, waiting_man):
    first = make_group(weeks_ago=4, name="Monday")
    second = make_group(weeks_ago=1, name="Later", start_time=datetime.time(10, 0))
    man = waiting_man()
    enrolment = services.enrolment_allocate(
        participant=man, group=first, by=org_a.manager, first_session=scheduled(first)[0]
    )
    for session in scheduled(first)[:4]:
        services.attendance_mark(
            session=session, participant=man, outcome="present", by=org_a.facilitator
        )
    moved = services.enrolment_move(enrolment=enrolment, to_group=second, by=org_a.manager)
    assert moved.prior_sessions == 4
    assert Attendance.objects.filter(participant=man).count() == 4
    progress = man_progress(man)
    assert (progress["attended"], progress["remaining"]) == (4, 26)
    assert progress["current"].group == second
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.MOVED


def test_allocating_through_the_group_page(client_for, org_a, make_group, waiting_man):
    group = make_group()
    man = waiting_man()
    response = client_for(org_a.facilitator).post(
        reverse("group_sessions:allocate", args=[group.public_id]),
        {"participant": man.pk},
        follow=True,
    )
    assert "allocated to" in response.content.decode()
    assert man.enrolments.get().group == group


def test_the_group_page_says_when_it_is_full(client_for, org_a, make_group, waiting_man):
    group = make_group(capacity=1)
    services.enrolment_allocate(participant=waiting_man(), group=group, by=org_a.manager)
    content = (
        client_for(org_a.facilitator)
        .get(reverse("group_sessions:group", args=[group.public_id]))
        .content.decode()
    )
    assert "The group is full." in content
    assert 'data-testid="allocate-form"' not in content
