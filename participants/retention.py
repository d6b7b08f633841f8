"""Retention: a case closed longer than the organisation's retention period is anonymised.

Names, contact details and free text go — the man's and those of his partners; what the
statistics need stays (statuses and their dates, referral sources and dates, attendance marks,
survey answers other than free text, risk levels), so figures computed later still add up.
Each anonymised case leaves a RetentionRecord with its reference and the counts removed."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from dvpp.audit import audit_event
from dvpp.models import AuditEvent, Organisation

from .models import CLOSED_STATUSES, CaseNote, Participant, Referral, RetentionRecord

REMOVED = "—"


def due_for_retention(organisation: Organisation, now: datetime.datetime | None = None):
    now = now or timezone.now()
    limit = now - relativedelta(months=organisation.retention_months)
    return Participant.objects.filter(
        organisation=organisation,
        status__in=CLOSED_STATUSES,
        status_changed_at__lt=limit,
        anonymised_at__isnull=True,
    )


@transaction.atomic
def anonymise(participant: Participant) -> dict:
    from outcomes.models import Answer
    from partners.models import (
        CheckIn,
        MaracReferral,
        Partner,
        RiskAssessment,
        RiskLowering,
        SafetyPlan,
    )

    removed = {"notes": 0, "referrals": 0, "partners": 0, "checkins": 0, "answers": 0}
    cleared = {
        "last_name": REMOVED,
        "first_name": REMOVED,
        "patronymic": "",
        "previous_surnames": "",
        # The year of birth stays for age bands; the day does not.
        "date_of_birth": participant.date_of_birth.replace(month=1, day=1),
        "phone": "",
        "email": "",
        "children_ages": "",
        "reminder_consent": False,
        "reminder_channel": "none",
        "anonymised_at": timezone.now(),
    }
    for name, value in cleared.items():
        setattr(participant, name, value)
    # save() rebuilds search_text: his reference alone, so his removed name is never found.
    participant.save(update_fields=list(cleared))
    removed["notes"] = CaseNote.objects.filter(participant=participant).update(text=REMOVED)
    removed["referrals"] = Referral.objects.filter(participant=participant).update(
        referrer_name="", referrer_contact="", reason=REMOVED
    )
    partners = Partner.objects.filter(participant=participant)
    for partner in partners:
        # Encrypted fields are written one row at a time so that they stay encrypted.
        partner.last_name, partner.first_name, partner.patronymic = REMOVED, REMOVED, ""
        partner.phone = partner.email = partner.address = partner.safe_contact_notes = ""
        partner.consent_scope = partner.children_ages = ""
        partner.state = Partner.State.CLOSED
        partner.save()
        removed["partners"] += 1
        hers = {"checkins": 0, "safety_plans": 0, "risk_assessments": 0, "marac": 0}
        for checkin in CheckIn.objects.filter(partner=partner):
            checkin.actions = ""
            checkin.save(update_fields=["actions"])
            hers["checkins"] += 1
        for plan in SafetyPlan.objects.filter(partner=partner):
            plan.contacts = plan.safe_places = plan.warning_signs = plan.children = ""
            plan.save(update_fields=["contacts", "safe_places", "warning_signs", "children"])
            hers["safety_plans"] += 1
        for assessment in RiskAssessment.objects.filter(partner=partner):
            assessment.judgement_note = ""
            assessment.save(update_fields=["judgement_note"])
            hers["risk_assessments"] += 1
        # Why her risk was lowered is what she or others said: cleared, the dated change kept.
        for lowering in RiskLowering.objects.filter(partner=partner):
            lowering.reason = ""
            lowering.save(update_fields=["reason"])
        for referral in MaracReferral.objects.filter(partner=partner):
            referral.outcome = REMOVED
            referral.save(update_fields=["outcome"])
            hers["marac"] += 1
        removed["checkins"] += hers["checkins"]
        # Her own destruction record, kept behind the wall with her record: the man's says
        # nothing of his partners.
        RetentionRecord.objects.create(
            organisation_id=participant.organisation_id,
            subject=RetentionRecord.Subject.PARTNER,
            reference=str(partner.public_id)[:8],
            object_id=str(partner.public_id),
            reason=RetentionRecord.Reason.RETENTION,
            removed=hers,
        )
    removed["answers"] = Answer.objects.filter(
        response__participant=participant, question__kind="text"
    ).update(value=REMOVED)
    RetentionRecord.objects.create(
        organisation_id=participant.organisation_id,
        reference=participant.reference,
        object_id=str(participant.public_id),
        closed_on=timezone.localtime(participant.status_changed_at).date(),
        reason=RetentionRecord.Reason.RETENTION,
        removed={key: removed[key] for key in ("notes", "referrals", "answers")},
    )
    return removed


def _record_erasure(participant: Participant) -> None:
    """His case and each partner's record, in the audit log. Done by the system, not by a
    member of staff: no user, no address."""
    from partners.models import Partner

    partners = Partner.objects.filter(participant=participant).values_list("public_id", flat=True)
    records = [(participant._meta.label_lower, participant.public_id)]
    records += [(Partner._meta.label_lower, public_id) for public_id in partners]
    for object_type, object_id in records:
        audit_event(
            None,
            AuditEvent.Action.ERASE,
            object_type,
            str(object_id),
            what="anonymised: retention period over",
            organisation_id=participant.organisation_id,
        )


def retention_apply(
    organisation: Organisation, *, dry_run: bool, now: datetime.datetime | None = None
) -> list[str]:
    """Anonymise the organisation's cases past retention; a dry run only lists them."""
    cases = list(due_for_retention(organisation, now).order_by("reference"))
    if not dry_run:
        for participant in cases:
            with transaction.atomic():
                anonymise(participant)
                _record_erasure(participant)
    return [participant.reference for participant in cases]


def retention_apply_all(*, dry_run: bool) -> int:
    return sum(
        len(retention_apply(organisation, dry_run=dry_run))
        for organisation in Organisation.objects.filter(is_active=True)
    )
