"""Her record: encryption at rest, first contact, risk, safety plan, check-ins, tasks, audit."""

import datetime
import uuid

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dvpp.calendar import OrganisationCalendar
from dvpp.models import AuditEvent
from participants.models import RiskFlag, Status
from partners import selectors, services
from partners.models import CheckIn, MaracReferral, Partner, PartnerTask, RiskChecklist
from tests.partners.conftest import SECRETS

TODAY = timezone.localdate()


def _raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM partners_partner WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.parametrize("field", ["phone", "email", "address", "safe_contact_notes"])
def test_her_contact_details_are_not_in_the_database_in_clear(partner, field):
    raw = _raw(field, partner.pk)
    assert SECRETS[field] not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert Partner.objects.get(pk=partner.pk).__dict__[field] == SECRETS[field]


def test_an_old_key_still_reads_after_a_new_key_is_added_and_rotation_moves_rows(partner, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Partner.objects.get(pk=partner.pk).phone == SECRETS["phone"]
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    assert Partner.objects.get(pk=partner.pk).phone == SECRETS["phone"]
    assert (
        Fernet(new_key.encode()).decrypt(_raw("phone", partner.pk).encode()).decode()
        == (SECRETS["phone"])
    )


def test_without_the_key_the_data_cannot_be_read(partner, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="a key is missing"):
        Partner.objects.get(pk=partner.pk).phone  # noqa: B018


def test_a_partner_of_a_man_of_another_organisation_is_refused(org_a, org_b):
    from tests.factories import ParticipantFactory

    stranger = ParticipantFactory(organisation=org_b.organisation)
    with pytest.raises(ValidationError):
        services.partner_create(
            organisation=org_a.organisation,
            by=org_a.partner_support,
            participant=stranger,
            data={**SECRETS, "relationship": "partner"},
        )
    assert not Partner.objects.exists()


def test_the_partner_form_refuses_a_man_of_another_organisation(client_for, org_a, org_b):
    from tests.factories import ParticipantFactory

    stranger = ParticipantFactory(organisation=org_b.organisation)
    response = client_for(org_a.partner_support).post(
        reverse("partners:create"),
        {
            **SECRETS,
            "participant": stranger.pk,
            "relationship": "partner",
            "language": "en",
            "safe_contact_method": "call",
            "state": "not_contacted",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Partner.objects.exists()


def test_time_to_first_contact_and_the_awaiting_contact_list(org_a, man, partner):
    assert [p.pk for p in selectors.awaiting_contact(org_a.partner_support)] == [partner.pk]
    services.contact_attempt_record(
        partner=partner,
        by=org_a.partner_support,
        at=timezone.now() - datetime.timedelta(days=30),
        method="text",
        outcome="reached",
    )
    partner.refresh_from_db()
    assert partner.state == Partner.State.ENGAGED
    # Working days from the day she was passed to partner support (40 days ago) to 30 days ago.
    calendar = OrganisationCalendar(org_a.organisation)
    expected = calendar.working_days_between(
        timezone.localdate() - datetime.timedelta(days=40),
        timezone.localdate() - datetime.timedelta(days=30),
    )
    assert 0 < expected < 10  # working days only
    assert selectors.days_to_first_contact(partner) == expected
    assert selectors.awaiting_contact(org_a.partner_support) == []


def test_awaiting_contact_counts_working_days_only(org_a, partner):
    # Passed to partner support on a Friday: by Monday only one working day has passed.
    friday = datetime.date(2026, 11, 20)
    Partner.objects.filter(pk=partner.pk).update(referred_on=friday)
    calendar = OrganisationCalendar(org_a.organisation)
    assert calendar.working_days_between(friday, friday + datetime.timedelta(days=3)) == 1
    org_a.organisation.partner_contact_working_days = 0
    org_a.organisation.save()
    org_a.partner_support.organisation.refresh_from_db()
    waiting = selectors.awaiting_contact(
        org_a.partner_support, today=friday + datetime.timedelta(days=3)
    )
    assert [p.working_days for p in waiting] == [1]


def test_a_contact_attempt_in_the_future_is_refused(org_a, partner):
    with pytest.raises(ValidationError):
        services.contact_attempt_record(
            partner=partner,
            by=org_a.partner_support,
            at=timezone.now() + datetime.timedelta(hours=2),
            method="call",
            outcome="reached",
        )
    assert not partner.attempts.exists()


def _checklist(org):
    return RiskChecklist.objects.get(organisation=org.organisation)


def test_fourteen_yes_answers_make_her_case_high_risk_with_a_marac_referral(org_a, reached):
    assessment = services.risk_assess(
        partner=reached,
        by=org_a.partner_support,
        checklist=_checklist(org_a),
        yes_items=list(range(1, 15)),
        assessed_on=TODAY,
    )
    assert (assessment.score, assessment.risk_level) == (14, "high")
    assert MaracReferral.objects.filter(partner=reached).count() == 1
    assert RiskFlag.objects.filter(participant=reached.participant).exists()


def test_thirteen_is_not_high_but_professional_judgement_is(org_a, reached):
    checklist = _checklist(org_a)
    assessment = services.risk_assess(
        partner=reached,
        by=org_a.partner_support,
        checklist=checklist,
        yes_items=list(range(1, 14)),
        assessed_on=TODAY,
    )
    assert assessment.risk_level == "medium"
    assert not MaracReferral.objects.exists()
    judged = services.risk_assess(
        partner=reached,
        by=org_a.partner_support,
        checklist=checklist,
        yes_items=[1, 2],
        assessed_on=TODAY,
        professional_judgement=True,
        judgement_note="Recent strangulation",
    )
    assert judged.risk_level == "high"
    assert MaracReferral.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"yes_items": [1, 2, 3], "score": 5}, "does not match"),
        ({"yes_items": [1, 99]}, "does not have"),
        ({"yes_items": [], "assessed_on": TODAY + datetime.timedelta(days=1)}, "future"),
        ({"yes_items": [], "professional_judgement": True}, "Say why"),
    ],
)
def test_bad_risk_assessments_are_refused(org_a, reached, kwargs, message):
    params = {"assessed_on": TODAY, **kwargs}
    with pytest.raises(ValidationError, match=message):
        services.risk_assess(
            partner=reached, by=org_a.partner_support, checklist=_checklist(org_a), **params
        )
    assert not reached.assessments.exists()


def checkin_data(**changes):
    return {
        "on": TODAY,
        "method": "call",
        "feels_safe": "fairly",
        "incidents": [],
        "injuries": False,
        "police_called": False,
        "actions": "Calmer at home.",
        "risk_level_after": "medium",
        "next_due": TODAY + datetime.timedelta(days=14),
        **changes,
    }


def test_a_check_in_is_recorded_encrypted_and_raises_the_flag_when_risk_rises(org_a, reached):
    checkin = services.checkin_record(
        partner=reached, by=org_a.partner_support, data=checkin_data(incidents=["threats"])
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT actions FROM partners_checkin WHERE id = %s", [checkin.pk])
        assert "Calmer" not in cursor.fetchone()[0]
    reached.refresh_from_db()
    assert reached.risk_level == "medium"
    flag = RiskFlag.objects.get(participant=reached.participant)
    assert flag.raised_on == TODAY


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"on": TODAY + datetime.timedelta(days=1)}, "future"),
        ({"on": TODAY - datetime.timedelta(days=30)}, "before the first contact"),
        ({"next_due": TODAY - datetime.timedelta(days=1)}, "in the past"),
        ({"incidents": ["gossip"]}, "Unknown incident"),
    ],
)
def test_bad_check_ins_are_refused_and_save_nothing(org_a, reached, changes, message):
    with pytest.raises(ValidationError, match=message):
        services.checkin_record(
            partner=reached, by=org_a.partner_support, data=checkin_data(**changes)
        )
    assert not CheckIn.objects.exists()
    assert not RiskFlag.objects.exists()


def test_a_check_in_before_any_contact_is_refused(org_a, partner):
    with pytest.raises(ValidationError, match="first contact"):
        services.checkin_record(partner=partner, by=org_a.partner_support, data=checkin_data())


def test_a_double_submitted_check_in_is_saved_once(org_a, reached):
    key = uuid.uuid4()
    for _ in range(2):
        services.checkin_record(
            partner=reached, by=org_a.partner_support, data=checkin_data(), submission_key=key
        )
    assert CheckIn.objects.count() == 1


def test_overdue_check_ins_per_worker(org_a, reached):
    assert [p.pk for p in selectors.overdue_checkins(org_a.partner_support)] == [reached.pk]
    services.checkin_record(partner=reached, by=org_a.partner_support, data=checkin_data())
    assert selectors.overdue_checkins(org_a.partner_support) == []
    CheckIn.objects.update(next_due=TODAY - datetime.timedelta(days=1))
    assert [p.pk for p in selectors.overdue_checkins(org_a.partner_support, mine=True)] == [
        reached.pk
    ]


def test_safety_plans_are_versioned(org_a, partner):
    first = services.safety_plan_save(
        partner=partner,
        by=org_a.partner_support,
        sections={"safe_places": "Her sister's"},
        review_on=TODAY + datetime.timedelta(days=30),
    )
    second = services.safety_plan_save(
        partner=partner,
        by=org_a.partner_support,
        sections={"safe_places": "Refuge"},
        review_on=TODAY + datetime.timedelta(days=30),
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.safe_places == "Her sister's"
    with pytest.raises(ValidationError, match="in the past"):
        services.safety_plan_save(
            partner=partner,
            by=org_a.partner_support,
            sections={},
            review_on=TODAY - datetime.timedelta(days=1),
        )


def test_his_unauthorised_absence_or_exit_tells_partner_support_to_call_her_today(
    org_a, man, reached
):
    from participants import services as case_services

    man.status = Status.IN_PROGRAMME
    man.save()
    case_services.participant_change_status(
        participant=man, to_status=Status.WITHDRAWN, by=org_a.facilitator, reason="Stopped coming"
    )
    task = PartnerTask.objects.get(partner=reached)
    assert (task.kind, task.reason, task.due_on) == ("contact_today", "withdrawn", TODAY)


def test_viewing_and_changing_her_record_is_audited(client_for, org_a, partner):
    client = client_for(org_a.partner_support)
    client.get(reverse("partners:detail", args=[partner.public_id]), REMOTE_ADDR="203.0.113.7")
    client.post(
        reverse("partners:add_attempt", args=[partner.public_id]),
        {"at": "2026-01-05T10:00", "method": "call", "outcome": "no_answer"},
    )
    events = list(
        AuditEvent.objects.filter(object_type="partners.partner")
        .order_by("pk")
        .values_list("user_id", "action", "object_id", "ip")
    )
    assert events[0] == (org_a.partner_support.pk, "view", str(partner.public_id), "203.0.113.7")
    assert events[1][1] == "change"
    for event in AuditEvent.objects.all():
        assert SECRETS["last_name"] not in str(event.__dict__)


def test_the_audit_log_cannot_be_changed_or_deleted(org_a, partner):
    from django.test import RequestFactory

    from dvpp.audit import audit_record

    request = RequestFactory().get("/")
    request.user = org_a.partner_support
    audit_record(request, "view", partner)
    event = AuditEvent.objects.get()
    event.action = "change"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.update(action="change")
    assert AuditEvent.objects.get().action == "view"


def test_managers_read_the_audit_log_of_their_organisation(client_for, org_a, org_b, partner):
    client_for(org_a.partner_support).get(reverse("partners:detail", args=[partner.public_id]))
    client_for(org_a.facilitator).get(
        reverse("participants:detail", args=[partner.participant.public_id])
    )
    client = client_for(org_a.manager)
    content = client.get(reverse("audit_log"), {"action": "view"}).content.decode()
    assert str(partner.participant.public_id) in content
    # Her record's events are not listed on the men's side at all (docs/security.md).
    assert str(partner.public_id) not in content
    assert SECRETS["last_name"] not in content
    other = client_for(org_b.manager).get(reverse("audit_log")).content.decode()
    assert str(partner.public_id) not in other
    assert client_for(org_a.facilitator).get(reverse("audit_log")).status_code == 403


def test_partner_support_home_lists_tasks_overdue_and_awaiting(client_for, org_a, partner):
    content = client_for(org_a.partner_support).get(reverse("partners:index")).content.decode()
    awaiting = content.split('data-testid="awaiting"')[1].split("</section>")[0]
    assert partner.first_name in awaiting


def test_partner_list_query_count_does_not_grow(
    client_for, org_a, man, django_assert_max_num_queries
):
    for index in range(8):
        services.partner_create(
            organisation=org_a.organisation,
            by=org_a.partner_support,
            participant=man,
            data={**SECRETS, "first_name": f"P{index}", "relationship": "partner"},
        )
    client = client_for(org_a.partner_support)
    with django_assert_max_num_queries(12):
        client.get(reverse("partners:index"))
