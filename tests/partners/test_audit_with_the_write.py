"""Every change to her record is audited by the service that makes it, once, in its transaction:
from her pages (the page's address and request id), and from what runs without a page (a
command, a scheduled task, the nightly retention), named in ``via``. Ids and codes only."""

import datetime
import uuid

import pytest
from celery import shared_task
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from dvpp.audit import origin
from dvpp.commands import AuditedCommand
from dvpp.models import AuditEvent
from participants.models import Status
from participants.tasks import apply_retention
from partners import services
from partners.models import ContactAttempt, MaracReferral, Partner, RiskChecklist
from tests.dvpp.test_audit_trail import NEVER_IN_THE_LOG, WRITES, World
from tests.factories import ParticipantFactory, ReferralFactory

from .conftest import SECRETS

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
TODAY = timezone.localdate()
COMMAND = __name__.rsplit(".", 1)[-1]


def _hers(partner: Partner):
    return AuditEvent.objects.filter(
        object_type="partners.partner", object_id=str(partner.public_id)
    ).order_by("pk")


def _only_ids(events) -> None:
    for event in events:
        for value in [*NEVER_IN_THE_LOG, *SECRETS.values()]:
            assert value not in event.what and value not in str(event.params), (event.what, value)


# --- from her pages: one row a change, the page's, never a second one ------------------------


HER_WRITES = sorted(
    name
    for name in WRITES
    if name.startswith("partners:")
    and name not in {"partners:add_consent", "partners:withdraw_consent", "partners:log_request"}
)


@pytest.mark.parametrize("url_name", HER_WRITES)
def test_a_change_from_her_page_is_audited_once(client_for, org_a, url_name):
    write = WRITES[url_name](World(org_a))
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for(write.user).post(write.url, write.data, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302
    object_type, object_id = write.record()
    events = AuditEvent.objects.filter(
        pk__gt=before, action=write.action, object_type=object_type, object_id=object_id
    )
    assert len(events) == 1, list(events.values_list("action", "what"))
    event = events.get()
    assert (event.via, event.ip, event.user) == ("web", "198.51.100.4", write.user)
    assert event.request_id == response["X-Request-ID"]
    _only_ids(AuditEvent.objects.all())


# --- without a page --------------------------------------------------------------------------


class Command(AuditedCommand):
    """A command acting for her worker (as an import of her contacts would)."""

    def handle(self, *args, **options):
        partner = Partner.objects.get()
        services.contact_attempt_record(
            partner=partner,
            by=partner.worker,
            at=timezone.now() - datetime.timedelta(hours=1),
            method="call",
            outcome=ContactAttempt.Outcome.REACHED,
        )


def test_a_change_made_by_a_command_is_audited_with_the_command_and_the_worker(org_a, partner):
    call_command(Command())
    event = _hers(partner).get()
    assert (event.action, event.what) == (Action.CHANGE, "contact attempt")
    assert (event.via, event.user, event.role) == (
        f"command:{COMMAND}",
        org_a.partner_support,
        "partner_support",
    )
    assert (event.organisation, event.ip, event.request_id) == (org_a.organisation, None, "")
    assert Partner.objects.get().state == Partner.State.ENGAGED


@shared_task(name="tests.partners.marac_meeting")
def marac_meeting(referral_pk: int) -> None:
    services.marac_update(
        referral=MaracReferral.objects.get(pk=referral_pk),
        referred_on=TODAY,
        meeting_on=TODAY + datetime.timedelta(days=7),
        outcome="",
    )


def test_a_change_made_by_a_scheduled_task_names_the_task(org_a, partner):
    services.risk_assess(
        partner=partner,
        by=org_a.partner_support,
        checklist=RiskChecklist.objects.get(organisation=org_a.organisation, is_current=True),
        yes_items=[],
        assessed_on=TODAY,
        professional_judgement=True,
        judgement_note="High on the worker's judgement",
    )
    assessed = _hers(partner).get()
    assert (assessed.what, assessed.via, assessed.user) == (
        "risk assessment",
        "system",
        org_a.partner_support,
    )
    marac_meeting.apply(args=[partner.marac.get().pk]).get()
    event = _hers(partner).last()
    assert (event.action, event.what, event.user) == (Action.CHANGE, "MARAC", None)
    assert event.via == "task:tests.partners.marac_meeting"
    assert event.organisation == org_a.organisation
    _only_ids(_hers(partner))


def test_the_nightly_retention_erases_her_record_as_the_task(org_a):
    old = ParticipantFactory(
        organisation=org_a.organisation,
        status=Status.COMPLETED,
        status_changed_at=timezone.now() - datetime.timedelta(days=365 * 7),
    )
    ReferralFactory(participant=old)
    partner = services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=old,
        data={**SECRETS, "relationship": "ex_partner"},
    )
    assert apply_retention.apply().get() == 1
    created, erased = _hers(partner)
    assert (created.action, created.user) == (Action.CREATE, org_a.partner_support)
    assert (erased.action, erased.what) == (Action.ERASE, "anonymised: retention period over")
    assert (erased.via, erased.user, erased.organisation) == (
        "task:participants.apply_retention",
        None,
        org_a.organisation,
    )
    _only_ids(AuditEvent.objects.all())


def test_a_form_sent_twice_is_audited_once(org_a, man):
    key = uuid.uuid4()
    with origin("web"):
        for _twice in range(2):
            partner = services.partner_create(
                organisation=org_a.organisation,
                by=org_a.partner_support,
                participant=man,
                data={**SECRETS, "relationship": "ex_partner"},
                submission_key=key,
            )
    services.contact_attempt_record(
        partner=partner,
        by=org_a.partner_support,
        at=timezone.now() - datetime.timedelta(days=1),
        method="call",
        outcome=ContactAttempt.Outcome.REACHED,
    )
    checkin = {
        "on": TODAY,
        "method": "call",
        "feels_safe": "fairly",
        "actions": "",
        "risk_level_after": "",
        "next_due": TODAY + datetime.timedelta(days=14),
    }
    for _twice in range(2):
        services.checkin_record(
            partner=partner, by=org_a.partner_support, data=dict(checkin), submission_key=key
        )
    assert list(_hers(partner).values_list("action", "what")) == [
        (Action.CREATE, ""),
        (Action.CHANGE, "contact attempt"),
        (Action.CHANGE, "check-in"),
    ]
    task = partner.tasks.create(kind="contact_today", key="twice", due_on=TODAY)
    for _twice in range(2):
        services.partner_task_done(task=task, by=org_a.partner_support)
    assert _hers(partner).filter(what="task").count() == 1


def test_a_refused_change_leaves_no_row(org_a, partner):
    with pytest.raises(ValidationError):
        services.contact_attempt_record(
            partner=partner,
            by=org_a.partner_support,
            at=timezone.now() + datetime.timedelta(days=1),
            method="call",
            outcome=ContactAttempt.Outcome.REACHED,
        )
    with pytest.raises(ValidationError):
        services.safety_plan_save(
            partner=partner,
            by=org_a.partner_support,
            sections={"contacts": "x"},
            review_on=TODAY - datetime.timedelta(days=1),
        )
    assert not _hers(partner).exists()
