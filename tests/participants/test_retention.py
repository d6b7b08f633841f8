"""Retention: closed cases past the organisation's period are anonymised, figures stay."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from participants.models import Participant, RetentionRecord, Status
from participants.retention import retention_apply
from partners import services as partner_services
from partners.models import Partner
from tests.factories import ParticipantFactory, ReferralFactory, category_of


def test_old_closed_cases_are_anonymised_and_young_ones_kept(org_a, capsys):
    old = ParticipantFactory(
        organisation=org_a.organisation,
        status=Status.COMPLETED,
        last_name="Oldcase",
        phone="0123",
        status_changed_at=timezone.now() - datetime.timedelta(days=365 * 7),
    )
    ReferralFactory(participant=old, reason="Long reason")
    from participants import services

    services.case_note_add(
        participant=old,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text="Private note",
    )
    partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=old,
        data={
            "last_name": "Secret",
            "first_name": "Her",
            "phone": "0999",
            "relationship": "ex_partner",
        },
    )
    young = ParticipantFactory(
        organisation=org_a.organisation, status=Status.COMPLETED, last_name="Youngcase"
    )
    open_case = ParticipantFactory(
        organisation=org_a.organisation,
        status=Status.IN_PROGRAMME,
        status_changed_at=timezone.now() - datetime.timedelta(days=365 * 9),
    )

    call_command("apply_retention", "--dry-run")
    assert "would anonymise 1 case(s)" in capsys.readouterr().out
    assert Participant.objects.get(pk=old.pk).last_name == "Oldcase"

    assert retention_apply(org_a.organisation, dry_run=False) == [old.reference]
    old.refresh_from_db()
    assert old.last_name == "—" and old.phone == "" and old.anonymised_at
    assert old.status == Status.COMPLETED  # the figures keep their statuses
    assert old.referrals.get().reason == "—"
    assert old.notes.get().text == "—"
    partner = Partner.objects.get(participant=old)
    assert (partner.last_name, partner.phone) == ("—", "")
    record = RetentionRecord.objects.get(subject="man")
    assert record.reference == old.reference and "partners" not in record.removed
    hers = RetentionRecord.objects.get(subject="partner")
    assert hers.object_id == str(partner.public_id)
    assert Participant.objects.get(pk=young.pk).last_name == "Youngcase"
    assert Participant.objects.get(pk=open_case.pk).anonymised_at is None
    assert retention_apply(org_a.organisation, dry_run=False) == []  # once only
