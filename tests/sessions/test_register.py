"""The attendance register: one tap a man, safe to repeat, and the rules it sets off."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import CaseTask, Status
from sessions import services
from sessions.models import Attendance, Enrolment
from tests.factories import ReferralFactory
from tests.sessions.conftest import scheduled


def test_marking_twice_keeps_one_mark_with_the_last_tap(org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    for outcome in ("present", "late", "late"):
        services.attendance_mark(
            session=session, participant=man, outcome=outcome, by=org_a.facilitator
        )
    mark = Attendance.objects.get()
    assert mark.outcome == "late" and mark.marked_by == org_a.facilitator


def test_two_facilitators_marking_one_register_keep_each_others_rows(org_a, placed):
    group, (first, second) = placed(count=2)
    session = scheduled(group)[0]
    services.attendance_mark(
        session=session, participant=first, outcome="present", by=org_a.facilitator
    )
    services.attendance_mark(
        session=session, participant=second, outcome="authorised", by=org_a.manager
    )
    services.attendance_mark(
        session=session, participant=first, outcome="late", by=org_a.facilitator, note="Bus"
    )
    marks = dict(Attendance.objects.values_list("participant_id", "outcome"))
    assert marks == {first.pk: "late", second.pk: "authorised"}


def test_a_cancelled_session_has_no_register(org_a, placed):
    group, (man,) = placed(weeks_ago=0)
    session = scheduled(group)[0]
    services.session_cancel(session=session, by=org_a.facilitator, reason="Snow")
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_mark(
            session=session, participant=man, outcome="present", by=org_a.facilitator
        )
    assert not Attendance.objects.exists()


def test_a_future_session_cannot_be_marked(org_a, placed):
    group, (man,) = placed(weeks_ago=0)
    with pytest.raises(ValidationError, match="not happened yet"):
        services.attendance_mark(
            session=scheduled(group)[1], participant=man, outcome="present", by=org_a.facilitator
        )
    assert not Attendance.objects.exists()


def test_a_man_not_on_the_register_cannot_be_marked(org_a, placed, waiting_man):
    group, _men = placed(weeks_ago=2)
    late_joiner = waiting_man()
    services.enrolment_allocate(participant=late_joiner, group=group, by=org_a.manager)
    with pytest.raises(ValidationError, match="not on the register"):
        services.attendance_mark(
            session=scheduled(group)[0],
            participant=late_joiner,
            outcome="present",
            by=org_a.facilitator,
        )
    assert not Attendance.objects.exists()


def test_his_first_attendance_puts_him_in_the_programme(org_a, placed):
    group, (man,) = placed()
    services.attendance_mark(
        session=scheduled(group)[0], participant=man, outcome="present", by=org_a.facilitator
    )
    man.refresh_from_db()
    assert man.status == Status.IN_PROGRAMME


def test_unauthorised_absences_raise_a_compliance_review_once(org_a, placed):
    group, (man,) = placed()
    for session in scheduled(group)[:2]:
        services.attendance_mark(
            session=session, participant=man, outcome="unauthorised", by=org_a.facilitator
        )
    assert not CaseTask.objects.exists()
    third = scheduled(group)[2]
    for _ in range(2):  # a repeated tap raises nothing new
        services.attendance_mark(
            session=third, participant=man, outcome="unauthorised", by=org_a.facilitator
        )
    assert list(CaseTask.objects.values_list("kind", flat=True)) == ["compliance_review"]


def test_a_statutory_case_also_gets_a_task_to_inform_the_referrer(org_a, placed):
    group, (man,) = placed()
    ReferralFactory(participant=man, is_statutory=True, order_end_on=datetime.date(2030, 1, 1))
    for session in scheduled(group)[:3]:
        services.attendance_mark(
            session=session, participant=man, outcome="unauthorised", by=org_a.facilitator
        )
    assert set(CaseTask.objects.values_list("kind", flat=True)) == {
        "compliance_review",
        "inform_referrer",
    }


def _attend_all(man, group, by, *, except_week=None, outcome="unauthorised"):
    for session in scheduled(group)[:30]:
        services.attendance_mark(
            session=session,
            participant=man,
            outcome=outcome if session.theme.number == except_week else "present",
            by=by,
        )


def test_after_his_last_session_completion_is_proposed_and_confirmed(client_for, org_a, placed):
    group, (man,) = placed()
    _attend_all(man, group, org_a.facilitator)
    task = CaseTask.objects.get(kind="confirm_completion")
    assert "30 of 30 sessions attended; 0 core themes missed" in task.detail
    response = client_for(org_a.facilitator).post(
        reverse("participants:task_done", args=[man.public_id, task.pk]), follow=True
    )
    assert "The end of his programme is recorded." in response.content.decode()
    man.refresh_from_db()
    assert man.status == Status.COMPLETED
    assert man.enrolments.get().state == Enrolment.State.FINISHED


def test_a_missed_core_theme_means_non_completion_is_proposed(org_a, placed):
    group, (man,) = placed()
    _attend_all(man, group, org_a.facilitator, except_week=4, outcome="authorised")
    task = CaseTask.objects.get(kind="confirm_non_completion")
    assert "29 of 30 sessions attended; 1 core theme missed" in task.detail


def test_too_few_sessions_means_non_completion_even_with_every_core_theme(org_a, placed, programme):
    programme.completion_min_sessions = 30
    programme.save()
    group, (man,) = placed()
    optional = programme.themes.filter(is_core=False).first().number
    _attend_all(man, group, org_a.facilitator, except_week=optional, outcome="authorised")
    assert CaseTask.objects.filter(kind="confirm_non_completion").exists()


def test_a_tap_through_htmx_returns_just_the_row(client_for, org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    response = client_for(org_a.facilitator).post(
        reverse("group_sessions:mark", args=[session.public_id]),
        {"participant": str(man.public_id), "outcome": "late", "note": "Bus"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith("<form") and "<html" not in content
    assert 'aria-pressed="true"' in content and "Late" in content
    assert Attendance.objects.get().note == "Bus"


def test_a_refused_tap_through_htmx_says_why_in_the_row(client_for, org_a, placed):
    group, (man,) = placed(weeks_ago=0)
    future = scheduled(group)[1]
    response = client_for(org_a.facilitator).post(
        reverse("group_sessions:mark", args=[future.public_id]),
        {"participant": str(man.public_id), "outcome": "present"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "has not happened yet" in response.content.decode()


def test_a_tap_without_javascript_comes_back_to_the_register(client_for, org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    response = client_for(org_a.facilitator).post(
        reverse("group_sessions:mark", args=[session.public_id]),
        {"participant": str(man.public_id), "outcome": "present"},
    )
    assert response["Location"] == reverse("group_sessions:register", args=[session.public_id])


def test_a_man_of_another_organisation_cannot_be_marked(client_for, org_a, org_b, placed):
    from tests.factories import ParticipantFactory

    group, _men = placed()
    stranger = ParticipantFactory(organisation=org_b.organisation)
    response = client_for(org_a.facilitator).post(
        reverse("group_sessions:mark", args=[scheduled(group)[0].public_id]),
        {"participant": str(stranger.public_id), "outcome": "present"},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_register_page_query_count_does_not_grow_with_men(
    client_for, org_a, placed, django_assert_max_num_queries
):
    group, men = placed(count=12)
    session = scheduled(group)[0]
    for man in men[:6]:
        services.attendance_mark(
            session=session, participant=man, outcome="present", by=org_a.facilitator
        )
    client = client_for(org_a.facilitator)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("group_sessions:register", args=[session.public_id]))
    assert response.content.decode().count('data-testid="register-row"') == 12


def test_figures_on_the_case_page(client_for, org_a, placed):
    group, (man,) = placed(weeks_ago=3)
    sessions = scheduled(group)
    services.attendance_mark(
        session=sessions[0], participant=man, outcome="present", by=org_a.facilitator
    )
    services.attendance_mark(
        session=sessions[1], participant=man, outcome="unauthorised", by=org_a.facilitator
    )
    services.attendance_mark(
        session=sessions[2], participant=man, outcome="late", by=org_a.facilitator
    )
    content = (
        client_for(org_a.facilitator)
        .get(reverse("participants:detail", args=[man.public_id]))
        .content.decode()
    )
    programme_section = content.split('data-testid="case-programme"')[1]
    assert "2 of 3 sessions attended (67%)" in programme_section
    assert sessions[1].theme.title in programme_section.split('data-testid="missed-themes"')[1]
    remaining = programme_section.split('data-testid="sessions-remaining">')[1].split("<")[0]
    assert remaining == "27"


def test_the_today_page_lists_the_facilitators_own_sessions(client_for, org_a, placed):
    from tests.factories import UserFactory

    group, _men = placed(weeks_ago=2)
    content = client_for(org_a.facilitator).get(reverse("group_sessions:today")).content.decode()
    today_list = content.split('data-testid="sessions-today"')[1].split(
        'data-testid="sessions-later"'
    )[0]
    assert group.name in today_list
    other = UserFactory(organisation=org_a.organisation)
    content = client_for(other).get(reverse("group_sessions:today")).content.decode()
    assert "You run no session today." in content
