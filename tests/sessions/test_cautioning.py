"""The two-workshop cautioning programme: both workshops within the caution's deadline, a missed
workshop means both again (and the police are told), and the outcome goes to the referrer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participants.models import CaseTask, Participant, Status
from sessions import selectors, services, tasks
from sessions.curriculum import CAUTIONING_NAME, programme_install_cautioning
from sessions.models import Attendance, Enrolment, Programme
from tests.factories import ParticipantFactory, ReferralFactory, source_of
from tests.sessions.conftest import scheduled

TODAY = timezone.localdate()
INFORM = CaseTask.Kind.INFORM_REFERRER


@pytest.fixture
def cautioning(org_a):
    return programme_install_cautioning(org_a.organisation)


@pytest.fixture
def workshops(org_a, cautioning):
    """A cautioning group whose first pair of workshops began nine weeks ago."""
    start = TODAY - datetime.timedelta(weeks=9)
    return services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": cautioning,
            "name": "Cautioning workshops",
            "facilitator": org_a.facilitator,
            "venue": "Room 1",
            "weekday": start.weekday(),
            "start_time": datetime.time(14, 0),
            "duration_minutes": 150,
            "start_date": start,
            "capacity": 12,
            "intake": "rolling",
        },
    )


@pytest.fixture
def cautioned(org_a, workshops):
    """A cautioned man placed at the group's first workshop; cautioned a week before it unless
    ``cautioned_on`` says otherwise."""

    def make(*, cautioned_on=None, first_session=None):
        first_session = first_session or scheduled(workshops)[0]
        man = ParticipantFactory(organisation=org_a.organisation, status=Status.WAITING_LIST)
        made_on = cautioned_on or first_session.date - datetime.timedelta(days=7)
        ReferralFactory(
            participant=man,
            source=source_of(org_a.organisation, "police-caution"),
            referrer_organisation="Hampshire Constabulary",
            made_on=made_on,
        )
        services.enrolment_allocate(
            participant=man, group=workshops, by=org_a.manager, first_session=first_session
        )
        return man

    return make


def mark(man, session, outcome, by):
    return services.attendance_mark(session=session, participant=man, outcome=outcome, by=by)


def tasks_of(man, kind):
    return list(CaseTask.objects.filter(participant=man, kind=kind))


def travel_to(monkeypatch, day):
    """Make ``day`` today for the rules (the register refuses sessions later than today)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


# --- the programme as data ---------------------------------------------------------------------


def test_the_cautioning_programme_is_two_core_workshops_with_its_rules(cautioning):
    assert (cautioning.session_count, cautioning.interval_days) == (2, 21)
    assert cautioning.completion_min_sessions == 2
    assert cautioning.complete_within_days == 84
    assert cautioning.missed_session_restarts and cautioning.report_outcome_to_referrer
    themes = list(cautioning.themes.order_by("number"))
    assert [theme.is_core for theme in themes] == [True, True]
    assert all(t.title_en and t.title_ru and t.description_en and t.description_ru for t in themes)


def test_the_30_week_programme_keeps_its_rules(programme):
    assert programme.complete_within_days is None
    assert not programme.missed_session_restarts
    assert not programme.report_outcome_to_referrer


def test_a_deadline_shorter_than_the_workshops_span_is_refused(org_a):
    programme = Programme(
        organisation=org_a.organisation,
        name_en="Too tight",
        session_count=2,
        interval_days=21,
        completion_min_sessions=2,
        complete_within_days=14,
    )
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert error.value.message_dict["complete_within_days"] == [
        "14 days is shorter than the 21 days from the first session to the last: no one could "
        "complete in time. Allow at least 21 days."
    ]
    programme.complete_within_days = 21
    programme.full_clean()


def test_the_administrator_edits_the_rules_in_the_admin_and_a_bad_deadline_saves_nothing(
    client_for, org_a, cautioning
):
    client = client_for(org_a.administrator)
    url = reverse("admin:group_sessions_programme_change", args=[cautioning.pk])
    page = client.get(url).content.decode()
    for field in ("complete_within_days", "missed_session_restarts", "report_outcome_to_referrer"):
        assert f'name="{field}"' in page
    assert "For a police caution the officer refers on the day of the caution" in page
    themes = list(cautioning.themes.order_by("number"))
    data = {
        "name_en": cautioning.name_en,
        "name_ru": cautioning.name_ru,
        "session_count": 2,
        "interval_days": 21,
        "session_minutes": 150,
        "absence_review_after": 3,
        "completion_min_sessions": 2,
        "complete_within_days": 10,
        "missed_session_restarts": "on",
        "report_outcome_to_referrer": "on",
        "themes-TOTAL_FORMS": 2,
        "themes-INITIAL_FORMS": 2,
        "themes-MIN_NUM_FORMS": 0,
        "themes-MAX_NUM_FORMS": 1000,
    }
    for index, theme in enumerate(themes):
        data |= {
            f"themes-{index}-id": theme.pk,
            f"themes-{index}-programme": cautioning.pk,
            f"themes-{index}-number": theme.number,
            f"themes-{index}-title_en": theme.title_en,
            f"themes-{index}-title_ru": theme.title_ru,
            f"themes-{index}-is_core": "on",
        }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "no one could complete in time" in response.content.decode()
    cautioning.refresh_from_db()
    assert cautioning.complete_within_days == 84
    response = client.post(url, data | {"complete_within_days": 56})
    assert response.status_code == 302
    cautioning.refresh_from_db()
    assert cautioning.complete_within_days == 56


# --- both workshops within the deadline --------------------------------------------------------


def test_both_workshops_in_time_propose_completion_and_then_the_referrer_is_told(
    client_for, org_a, workshops, cautioned
):
    man = cautioned()
    first, second = scheduled(workshops)[:2]
    mark(man, first, "present", org_a.facilitator)
    mark(man, second, "late", org_a.facilitator)
    (task,) = tasks_of(man, CaseTask.Kind.CONFIRM_COMPLETION)
    assert task.detail == "2 of 2 sessions attended; 0 core themes missed"
    assert not tasks_of(man, INFORM)

    response = client_for(org_a.facilitator).post(
        reverse("participants:task_done", args=[man.public_id, task.pk]), follow=True
    )
    assert "The end of his programme is recorded." in response.content.decode()
    man.refresh_from_db()
    assert man.status == Status.COMPLETED
    (inform,) = tasks_of(man, INFORM)
    assert inform.is_open
    assert inform.detail == (
        "Tell the referrer he completed the programme; send the progress report."
    )


def test_the_second_workshop_after_the_deadline_is_not_completion(org_a, workshops, cautioned):
    first, second = scheduled(workshops)[:2]
    man = cautioned(cautioned_on=second.date - datetime.timedelta(days=90))
    mark(man, first, "present", org_a.facilitator)
    mark(man, second, "present", org_a.facilitator)
    assert not tasks_of(man, CaseTask.Kind.CONFIRM_COMPLETION)
    (task,) = tasks_of(man, CaseTask.Kind.CONFIRM_NON_COMPLETION)
    deadline = second.date - datetime.timedelta(days=6)
    assert f"the deadline of {deadline:%d.%m.%Y} had passed" in task.detail


# --- a missed workshop -------------------------------------------------------------------------


def test_a_missed_workshop_means_both_again_and_the_referrer_is_told_once(
    org_a, workshops, cautioned
):
    man = cautioned()
    first, second = scheduled(workshops)[:2]
    mark(man, first, "present", org_a.facilitator)
    for _ in range(2):  # the same mark saved twice
        mark(man, second, "unauthorised", org_a.facilitator)

    (inform,) = tasks_of(man, INFORM)
    assert inform.key == f"missed-{second.pk}"
    assert f"He missed the session of {second.date:%d.%m.%Y}" in inform.detail
    old, new = Enrolment.objects.filter(participant=man).order_by("pk")
    assert (old.state, new.state) == (Enrolment.State.RESTARTED, Enrolment.State.ACTIVE)
    assert new.group == workshops and new.first_session.theme.number == 1
    assert new.first_session.date >= TODAY
    assert f"starts again on {new.first_session.date:%d.%m.%Y}" in inform.detail
    # What he attended before no longer counts: nothing completes, nothing ends.
    progress = selectors.completion_check(man)
    assert (progress["attended"], progress["remaining"], progress["meets_rule"]) == (0, 2, False)
    assert progress["restarts"] == [second.date]
    assert len(progress["marks"]) == 2  # his history stays for the report
    assert not CaseTask.objects.filter(
        participant=man,
        kind__in=[CaseTask.Kind.CONFIRM_COMPLETION, CaseTask.Kind.CONFIRM_NON_COMPLETION],
    ).exists()
    man.refresh_from_db()
    assert man.status == Status.IN_PROGRAMME


def test_after_a_miss_only_both_workshops_again_complete_him(
    monkeypatch, org_a, workshops, cautioned
):
    sessions = scheduled(workshops)
    first, second = sessions[:2]
    man = cautioned()
    mark(man, first, "present", org_a.facilitator)
    travel_to(monkeypatch, second.date)
    mark(man, second, "authorised", org_a.facilitator)  # an authorised absence is missed too
    monkeypatch.undo()
    new = Enrolment.objects.get(participant=man, state=Enrolment.State.ACTIVE)
    assert new.first_session.date > second.date
    again = [s for s in scheduled(workshops) if s.date >= new.first_session.date][:2]
    assert [s.theme.number for s in again] == [1, 2]

    mark(man, again[0], "present", org_a.facilitator)
    # His earlier second workshop and this first one do not make both.
    assert not selectors.completion_check(man)["meets_rule"]
    assert not tasks_of(man, CaseTask.Kind.CONFIRM_COMPLETION)
    mark(man, again[1], "present", org_a.facilitator)
    (task,) = tasks_of(man, CaseTask.Kind.CONFIRM_COMPLETION)
    assert task.detail.startswith("2 of 2 sessions attended")


def test_a_man_who_missed_the_first_workshop_is_not_on_the_second_ones_register(
    org_a, workshops, cautioned
):
    man = cautioned()
    first, second = scheduled(workshops)[:2]
    mark(man, first, "unauthorised", org_a.facilitator)
    assert man not in [row.participant for row in selectors.register(second)]
    assert man in [row.participant for row in selectors.register(first)]
    with pytest.raises(ValidationError, match="not on the register"):
        mark(man, second, "present", org_a.facilitator)
    new = Enrolment.objects.get(participant=man, state=Enrolment.State.ACTIVE)
    rows = [row.participant for row in selectors.register(new.first_session)]
    assert rows.count(man) == 1


def test_a_miss_marked_by_mistake_and_corrected_gives_him_his_place_back(
    org_a, workshops, cautioned
):
    man = cautioned()
    first, second = scheduled(workshops)[:2]
    mark(man, first, "present", org_a.facilitator)
    mark(man, second, "unauthorised", org_a.facilitator)
    assert Enrolment.objects.filter(participant=man).count() == 2 and tasks_of(man, INFORM)
    mark(man, second, "present", org_a.facilitator)
    (place,) = Enrolment.objects.filter(participant=man)
    assert place.state == Enrolment.State.ACTIVE and place.ended_on is None
    assert not tasks_of(man, INFORM)
    assert tasks_of(man, CaseTask.Kind.CONFIRM_COMPLETION)


# --- the deadline ------------------------------------------------------------------------------


def test_the_deadline_passing_raises_non_completion_once_however_often_the_job_runs(
    org_a, workshops, cautioned, make_group, waiting_man
):
    upcoming = services.next_cycle_start(workshops, on_or_after=TODAY)
    cautioned_on = TODAY - datetime.timedelta(days=100)
    man = cautioned(cautioned_on=cautioned_on, first_session=upcoming)
    deadline = cautioned_on + datetime.timedelta(days=84)
    # A man on the 30-week programme, referred long ago, has no deadline.
    group = make_group(weeks_ago=2)
    other = waiting_man()
    other.referrals.update(made_on=TODAY - datetime.timedelta(days=400))
    services.enrolment_allocate(participant=other, group=group, by=org_a.manager)

    assert services.completion_deadlines_apply(on=deadline) == 0
    assert tasks.completion_deadlines() == 1
    assert tasks.completion_deadlines() == 0
    (task,) = CaseTask.objects.all()
    assert (task.participant, task.kind) == (man, CaseTask.Kind.CONFIRM_NON_COMPLETION)
    assert task.detail == (
        f"The deadline of {deadline:%d.%m.%Y} has passed: 0 of 2 sessions attended."
    )

    services.completion_confirm(
        participant=man, task=task, by=org_a.facilitator, reason="Deadline of the caution passed"
    )
    man.refresh_from_db()
    assert man.status == Status.WITHDRAWN
    (inform,) = tasks_of(man, INFORM)
    assert inform.detail.startswith("Tell the referrer he did not complete the programme")
    assert tasks.completion_deadlines() == 0


def test_a_man_who_completed_in_time_gets_no_deadline_task(org_a, workshops, cautioned):
    first, second = scheduled(workshops)[:2]
    man = cautioned(cautioned_on=first.date - datetime.timedelta(days=60))  # by 24 days after
    mark(man, first, "present", org_a.facilitator)
    mark(man, second, "present", org_a.facilitator)
    assert services.completion_deadlines_apply() == 0
    assert [t.kind for t in CaseTask.objects.filter(participant=man)] == ["confirm_completion"]


def test_the_case_page_shows_the_deadline_and_the_restart(client_for, org_a, workshops, cautioned):
    man = cautioned()
    first, second = scheduled(workshops)[:2]
    mark(man, first, "present", org_a.facilitator)
    mark(man, second, "unauthorised", org_a.facilitator)
    client = client_for(org_a.facilitator)
    content = client.get(reverse("participants:detail", args=[man.public_id])).content.decode()
    assert 'data-testid="complete-by"' in content and 'data-testid="restarts"' in content
    report = client.get(reverse("participants:progress", args=[man.public_id])).content.decode()
    # The progress report is in his language (the factory's men prefer Russian).
    assert "Завершить не позднее" in report and "Начал заново после пропуска занятия" in report
    pdf = client.get(reverse("participants:progress", args=[man.public_id]), {"format": "pdf"})
    assert pdf.status_code == 200


# --- the 30-week programme is unchanged --------------------------------------------------------


def test_on_the_30_week_programme_a_miss_keeps_his_place_and_tells_no_one(
    org_a, make_group, waiting_man
):
    group = make_group(weeks_ago=3)
    man = waiting_man()
    services.enrolment_allocate(
        participant=man, group=group, by=org_a.manager, first_session=scheduled(group)[0]
    )
    mark(man, scheduled(group)[0], "unauthorised", org_a.facilitator)
    assert man.enrolments.get().state == Enrolment.State.ACTIVE
    assert not CaseTask.objects.exists()
    assert Attendance.objects.count() == 1


# --- the demo ----------------------------------------------------------------------------------


def test_seed_demo_ships_the_cautioning_programme_with_men_in_each_state(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for slug in ("demo", "demo-ru"):
        programme = Programme.objects.get(organisation__slug=slug, name_en=CAUTIONING_NAME[0])
        assert programme.missed_session_restarts and programme.complete_within_days == 84
        group = programme.groups.get()
        assert group.capacity == 12
        men = Participant.objects.filter(organisation__slug=slug, email__startswith="cautioned")
        assert sorted(men.values_list("status", flat=True)) == sorted(
            [Status.COMPLETED, Status.IN_PROGRAMME, Status.ALLOCATED, Status.WAITING_LIST]
        )
        completed = men.get(status=Status.COMPLETED)
        assert completed.tasks.filter(kind=INFORM, key__startswith="outcome-").exists()
        restarted = men.get(enrolments__state=Enrolment.State.RESTARTED)
        assert restarted.tasks.filter(kind=INFORM, key__startswith="missed-").exists()
        late = men.get(status=Status.ALLOCATED)
        assert late.tasks.filter(kind=CaseTask.Kind.CONFIRM_NON_COMPLETION).exists()
    counts = (Programme.objects.count(), Participant.objects.count(), CaseTask.objects.count())
    call_command("seed_demo")
    assert (
        Programme.objects.count(),
        Participant.objects.count(),
        CaseTask.objects.count(),
    ) == counts
