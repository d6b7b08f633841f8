"""Audit with the write: a change made without a page — a referral import run as a command, a
change in the admin site, retention, a scheduled task — leaves its audit row, written by the
service that made it, naming what ran it (``via``) and the member of staff, if any."""

import datetime

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from dvpp.audit import describe_events
from dvpp.models import AuditEvent
from participants import services as case_services
from participants.models import CaseTask, Participant, RiskFlag, Status
from sessions import services as session_services
from sessions import tasks as session_tasks
from sessions.curriculum import programme_install_cautioning
from tests.factories import ParticipantFactory, ReferralFactory, UserFactory, category_of, source_of
from tests.participants.test_import import GOOD_WITH_REQUIRED

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
TODAY = timezone.localdate()


def _closed_long_ago(org) -> Participant:
    man = ParticipantFactory(organisation=org.organisation)
    ReferralFactory(participant=man)
    Participant.objects.filter(pk=man.pk).update(
        status=Status.COMPLETED, status_changed_at=timezone.now() - datetime.timedelta(days=3650)
    )
    return man


# --- (a) a referral import run as a command ----------------------------------------------------


def test_a_referral_import_run_as_a_command_leaves_its_row(org_a, tmp_path):
    """One row for the file, as from the page (``test_an_import_is_one_event_with_the_counts``):
    the cases it opened are counted in it, by the command, for the organisation."""
    path = tmp_path / "referrals.csv"
    path.write_text(GOOD_WITH_REQUIRED, encoding="utf-8")
    call_command("import_referrals", str(path), organisation=org_a.organisation.slug)
    opened = Participant.objects.filter(organisation=org_a.organisation).count()
    assert opened == 2
    (event,) = AuditEvent.objects.filter(action=Action.CREATE)
    assert (event.via, event.user, event.organisation) == (
        "command:import_referrals",
        None,
        org_a.organisation,
    )
    assert (event.object_type, event.object_id) == ("participants.referral", "import")
    assert event.what == f"import: {opened} new cases, 3 new referrals"
    assert event.origin_label == "by the command import_referrals"


def test_a_dry_run_of_the_import_command_records_nothing(org_a, tmp_path):
    path = tmp_path / "referrals.csv"
    path.write_text(GOOD_WITH_REQUIRED, encoding="utf-8")
    call_command("import_referrals", str(path), organisation=org_a.organisation.slug, dry_run=True)
    assert not AuditEvent.objects.exists()


# --- (b) the admin site ------------------------------------------------------------------------


def test_a_change_in_the_admin_site_leaves_its_row_by_the_user(client_for, org_a):
    root = UserFactory(role="", organisation=None, is_superuser=True, is_staff=True)
    organisation = org_a.organisation
    # What the change form holds now, with a new name.
    data = {
        name: ("on" if value is True else value)
        for name, value in model_to_dict(organisation).items()
        if value is not None and value is not False
    }
    response = client_for(root).post(
        reverse("admin:dvpp_organisation_change", args=[organisation.pk]),
        {**data, "name": "Renamed in the admin"},
        REMOTE_ADDR="198.51.100.8",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert (event.via, event.user, event.ip) == ("admin", root, "198.51.100.8")
    assert (event.object_type, event.object_id) == ("dvpp.organisation", str(organisation.pk))
    assert event.request_id == response["X-Request-ID"]
    assert event.what.startswith("admin: ")


# --- (c) retention -----------------------------------------------------------------------------


def test_retention_run_as_the_nightly_task_leaves_its_rows(org_a):
    from participants.tasks import apply_retention

    man = _closed_long_ago(org_a)
    assert apply_retention.apply().get() == 1
    (event,) = AuditEvent.objects.filter(action=Action.ERASE)
    assert (event.via, event.user, event.organisation) == (
        "task:participants.apply_retention",
        None,
        org_a.organisation,
    )
    assert (event.object_type, event.object_id) == (
        "participants.participant",
        str(man.public_id),
    )


def test_retention_run_as_the_command_leaves_its_rows(org_a):
    man = _closed_long_ago(org_a)
    call_command("apply_retention")
    (event,) = AuditEvent.objects.filter(action=Action.ERASE)
    assert (event.via, event.user, event.object_id) == (
        "command:apply_retention",
        None,
        str(man.public_id),
    )


# --- (d) a scheduled task that changes a record -----------------------------------------------


def test_the_nightly_deadline_task_leaves_a_row_for_each_task_it_raises(org_a):
    """``sessions.completion_deadlines`` proposes non-completion on his case when the deadline
    of his programme has passed: the task it raises is recorded, by the system, as made by it."""
    programme = programme_install_cautioning(org_a.organisation)
    start = TODAY - datetime.timedelta(weeks=9)
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme,
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
    first = session_services.next_cycle_start(group, on_or_after=TODAY)
    man = ParticipantFactory(organisation=org_a.organisation, status=Status.WAITING_LIST)
    ReferralFactory(
        participant=man,
        source=source_of(org_a.organisation, "police-caution"),
        referrer_organisation="Hampshire Constabulary",
        made_on=TODAY - datetime.timedelta(days=100),
    )
    session_services.enrolment_allocate(
        participant=man, group=group, by=org_a.manager, first_session=first
    )
    before = AuditEvent.objects.count()

    assert session_tasks.completion_deadlines.apply().get() == 1
    (task,) = CaseTask.objects.filter(participant=man)
    (event,) = AuditEvent.objects.order_by("pk")[before:]
    assert (event.via, event.user, event.action) == (
        "task:sessions.completion_deadlines",
        None,
        Action.CREATE,
    )
    assert (event.object_type, event.object_id) == (
        "participants.participant",
        str(man.public_id),
    )
    assert event.what == f"task {task.pk} (confirm_non_completion) raised"
    text, _url = describe_events([event], viewer=org_a.manager)[event.pk]
    label = CaseTask.Kind.CONFIRM_NON_COMPLETION.label
    assert text == f"Raised the task “{label}” on the case of {man.full_name}"
    # Run again, it raises nothing and records nothing.
    assert session_tasks.completion_deadlines.apply().get() == 0
    assert AuditEvent.objects.count() == before + 1


# --- the services audit whoever calls them -----------------------------------------------------


def test_a_service_called_outside_a_page_audits_with_the_user_and_the_system_as_origin(org_a):
    """As an import, a command or another app would call them: the row has the member of staff
    it acts for and no page."""
    man = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(participant=man)
    case_services.participant_set_status(
        participant=man, to_status="assessment", by=org_a.facilitator
    )
    case_services.case_note_add(
        participant=man,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text="Spoke about the first session.",
    )
    case_services.risk_flag_raise(participant=man)
    case_services.risk_flag_acknowledge(
        flag=RiskFlag.objects.get(participant=man), by=org_a.facilitator
    )
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(event.action, event.what.split(" ")[0]) for event in events] == [
        (Action.CHANGE, "status:"),
        (Action.CREATE, "note"),
        (Action.CHANGE, "acknowledged"),
    ]
    for event in events:
        assert (event.via, event.ip, event.request_id) == ("system", None, "")
        assert (event.user, event.organisation) == (org_a.facilitator, org_a.organisation)


def test_a_step_of_another_action_writes_no_row_of_its_own(org_a):
    """A status move made as part of another action (an allocation, an assessment) is named in
    that action's row, never in a second one."""
    man = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(participant=man)
    case_services.participant_change_status(
        participant=man, to_status="assessment", by=org_a.facilitator
    )
    assert not AuditEvent.objects.exists()
    case_services.assessment_decide(
        participant=man,
        by=org_a.facilitator,
        outcome="suitable",
        reason="",
        risk_level="medium",
        partner_details_passed_on=None,
        decided_on=TODAY,
    )
    (event,) = AuditEvent.objects.all()
    assert event.what == "assessment outcome: suitable; status: assessment→waiting_list"
