"""Destruction records: made by retention and by erasure, printed as an act with the audit
extract, for managers only."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dvpp.models import AuditEvent
from participants import retention
from participants.models import RetentionRecord, Status
from tests.factories import ParticipantFactory


def closed_long_ago(org):
    man = ParticipantFactory(organisation=org.organisation, status=Status.COMPLETED)
    type(man).objects.filter(pk=man.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=365 * 8)
    )
    return man


def test_retention_leaves_a_destruction_record_with_why_and_how(org_a):
    man = closed_long_ago(org_a)
    retention.retention_apply(org_a.organisation, dry_run=False)
    record = RetentionRecord.objects.get()
    assert record.reference == man.reference and record.object_id == str(man.public_id)
    assert record.reason == RetentionRecord.Reason.RETENTION
    assert record.method == RetentionRecord.Method.ANONYMISED
    assert record.performed_by is None and record.subject == RetentionRecord.Subject.MAN


def test_the_act_prints_what_why_how_and_the_audit_extract(client_for, org_a):
    man = closed_long_ago(org_a)
    client_for(org_a.facilitator).get(reverse("participants:detail", args=[man.public_id]))
    retention.retention_apply(org_a.organisation, dry_run=False)
    record = RetentionRecord.objects.get()
    client = client_for(org_a.manager)
    listing = client.get(reverse("destruction_list")).content.decode()
    assert man.reference in listing and "the nightly job" in listing
    page = client.get(reverse("destruction_act", args=[record.pk])).content.decode()
    assert f"Act No. {record.pk} on the destruction of personal data" in page
    assert "The retention period after the case closed is over" in page
    assert "Anonymised: names, contact details and free text overwritten" in page
    extract = page.split('data-testid="act-audit-extract"')[1]
    assert "Viewed" in extract and "Erased" in extract
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, what="destruction act", object_id=str(record.pk)
    ).exists()


def test_an_erasure_at_his_request_leaves_a_record_by_the_manager(client_for, org_a):
    man = closed_long_ago(org_a)
    client = client_for(org_a.manager, reauthenticated=True)
    client.post(
        reverse("participants:erase", args=[man.public_id]), {"confirmation": man.reference}
    )
    record = RetentionRecord.objects.get()
    assert record.reason == RetentionRecord.Reason.REQUEST
    assert record.performed_by == org_a.manager


def test_only_managers_of_the_organisation_read_the_acts(client_for, org_a, org_b):
    record = RetentionRecord.objects.create(organisation=org_a.organisation, reference="00009")
    url = reverse("destruction_act", args=[record.pk])
    assert client_for(org_a.facilitator).get(url).status_code == 403
    assert client_for(org_b.manager).get(url).status_code == 404
    assert client_for(org_a.manager).get(url).status_code == 200


def test_partner_records_are_destroyed_behind_the_wall(client_for, org_a):
    from partners import services as partner_services

    man = closed_long_ago(org_a)
    partner = partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={"last_name": "Hidden", "first_name": "Her", "relationship": "ex_partner"},
    )
    retention.retention_apply(org_a.organisation, dry_run=False)
    his = RetentionRecord.objects.get(subject="man")
    hers = RetentionRecord.objects.get(subject="partner")
    assert set(his.removed) == {"notes", "referrals", "answers"}  # nothing of his partners
    assert hers.object_id == str(partner.public_id)
    manager = client_for(org_a.manager)
    listing = manager.get(reverse("destruction_list")).content.decode()
    assert hers.reference not in listing and "A partner or ex-partner" not in listing
    assert manager.get(reverse("destruction_act", args=[hers.pk])).status_code == 404
    act = manager.get(reverse("destruction_act", args=[his.pk])).content.decode()
    assert "Partner records" not in act and "Check-ins" not in act
    worker = client_for(org_a.partner_support)
    assert hers.reference in worker.get(reverse("destruction_list")).content.decode()
    assert worker.get(reverse("destruction_act", args=[hers.pk])).status_code == 200
    assert worker.get(reverse("destruction_act", args=[his.pk])).status_code == 404
    assert client_for(org_a.facilitator).get(reverse("destruction_list")).status_code == 403
