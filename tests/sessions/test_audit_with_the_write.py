"""The group programme's changes are audited by the services that make them, whichever way they
came: a page, a command, an import or a scheduled task, each named in the row (``via``) with the
member of staff who acted, or none when the system did."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dvpp.audit import describe_events, origin
from dvpp.models import AuditEvent
from participants.models import CaseTask
from sessions import services, tasks
from tests.dvpp.test_notifications import _at, tomorrow_session  # noqa: F401 (a fixture)
from tests.sessions.conftest import TODAY, scheduled
from tests.sessions.test_cautioning import cautioned, cautioning, workshops  # noqa: F401

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def _after(before: int):
    return AuditEvent.objects.filter(pk__gt=before).order_by("pk")


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_deadline_task_audits_each_task_it_raises_as_itself(org_a, workshops, cautioned):  # noqa: F811
    upcoming = services.next_cycle_start(workshops, on_or_after=TODAY)
    cautioned_on = TODAY - datetime.timedelta(days=100)
    man = cautioned(cautioned_on=cautioned_on, first_session=upcoming)
    deadline = cautioned_on + datetime.timedelta(days=84)
    before = _last()

    assert tasks.completion_deadlines() == 1
    (event,) = _after(before)
    (task,) = CaseTask.objects.filter(participant=man)
    assert (event.action, event.object_type, event.object_id) == (
        Action.CREATE,
        "participants.participant",
        str(man.public_id),
    )
    assert event.what == f"task {task.pk} (confirm_non_completion) raised"
    assert (event.via, event.user, event.organisation) == (
        "task:sessions.completion_deadlines",
        None,
        org_a.organisation,
    )
    assert event.origin_label == "by the scheduled task sessions.completion_deadlines"
    # Run again, it raises nothing and records nothing.
    assert tasks.completion_deadlines() == 0
    assert _after(before).count() == 1
    # The log reads it as a sentence about his case (worded by the participants app).
    (text, link) = describe_events([event], viewer=org_a.manager)[event.pk]
    assert man.full_name in text and link.endswith(f"{man.public_id}/")
    assert task.key == f"deadline-{deadline:%Y-%m-%d}"


def test_the_reminder_task_audits_the_session_whose_reminders_it_queued(
    org_a,
    tomorrow_session,  # noqa: F811
    monkeypatch,
):
    now = _at(tomorrow_session, 23)
    monkeypatch.setattr(timezone, "now", lambda: now)
    before = _last()
    assert tasks.send_reminders() == 1
    (event,) = _after(before)
    assert (event.action, event.object_type, event.object_id) == (
        Action.CREATE,
        "group_sessions.session",
        str(tomorrow_session.public_id),
    )
    assert (event.what, event.via, event.user, event.organisation) == (
        "reminders queued: 1",
        "task:sessions.send_reminders",
        None,
        org_a.organisation,
    )
    assert tasks.send_reminders() == 0  # nothing new queued, nothing recorded
    assert _after(before).count() == 1
    (text, _link) = describe_events([event], viewer=org_a.manager)[event.pk]
    assert text.startswith("Queued the reminders of the session G, ")


def test_a_mark_made_without_a_page_is_one_row_naming_who_and_what_ran_it(org_a, placed):
    group, (man, other) = placed(count=2)
    session = scheduled(group)[0]
    before = _last()
    with origin("command:import_attendance"):
        services.attendance_mark(
            session=session, participant=man, outcome="present", by=org_a.facilitator
        )
    (event,) = _after(before).filter(what__startswith="attendance")
    assert (event.action, event.object_id, event.what) == (
        Action.CHANGE,
        str(man.public_id),
        f"attendance: present, session {session.public_id}",
    )
    assert (event.via, event.user, event.role, event.organisation, event.ip) == (
        "command:import_attendance",
        org_a.facilitator,
        org_a.facilitator.role,
        org_a.organisation,
        None,
    )
    # "All present" from a task: one row for each man it marked, none for the man marked before.
    before = _last()
    with origin("task:tests.all_present"):
        marks = services.attendance_mark_all_present(session=session, by=org_a.facilitator)
    assert [mark.participant for mark in marks] == [other]
    rows = _after(before).filter(what__startswith="attendance")
    assert [(e.object_id, e.via) for e in rows] == [
        (str(other.public_id), "task:tests.all_present")
    ]


def test_a_refused_mark_records_nothing(org_a, placed):
    group, (man,) = placed(weeks_ago=2)
    later = scheduled(group)[-1]
    before = _last()
    with pytest.raises(ValidationError, match="not happened yet"):
        services.attendance_mark(
            session=later, participant=man, outcome="present", by=org_a.facilitator
        )
    assert not _after(before).exists()


def test_the_schedule_and_places_changed_without_a_page_are_audited(org_a, make_group, waiting_man):
    before = _last()
    group = make_group(weeks_ago=0, name="Thursday")
    other = make_group(weeks_ago=0, name="Friday", start_time=datetime.time(10, 0))
    man = waiting_man()
    place = services.enrolment_allocate(participant=man, group=group, by=org_a.manager)
    services.enrolment_move(enrolment=place, to_group=other, by=org_a.manager)
    session = scheduled(group)[1]
    services.session_move(
        session=session,
        by=org_a.manager,
        date=session.date + datetime.timedelta(days=1),
        start_time=datetime.time(19, 0),
        reason="Room booked",
    )
    cancelled = scheduled(group)[2]
    replacement = services.session_cancel(
        session=cancelled, by=org_a.manager, reason="Facilitator ill"
    )
    events = list(_after(before).values_list("action", "object_id", "what", "via", "user"))
    manager = org_a.manager.pk
    assert events == [
        (Action.CREATE, str(group.public_id), "group and its schedule", "system", manager),
        (Action.CREATE, str(other.public_id), "group and its schedule", "system", manager),
        (
            Action.CREATE,
            str(man.public_id),
            f"allocated to group {group.public_id}",
            "system",
            manager,
        ),
        (Action.CHANGE, str(man.public_id), f"moved to group {other.public_id}", "system", manager),
        (
            Action.CHANGE,
            str(session.public_id),
            f"moved: {session.date:%Y-%m-%d} 18:00→"
            f"{session.date + datetime.timedelta(days=1):%Y-%m-%d} 19:00",
            "system",
            manager,
        ),
        (
            Action.CHANGE,
            str(cancelled.public_id),
            f"cancelled; theme moved to session {replacement.public_id}",
            "system",
            manager,
        ),
    ]
    assert {e.organisation_id for e in _after(before)} == {org_a.organisation.pk}
