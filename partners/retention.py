"""Retention behind the wall: when a man's case has passed its retention period
(``participants.retention``, through ``dvpp.hooks.retention``), the records of his partners are
anonymised with it and closed.

What identifies her and what she said goes; the dated, non-identifying rows stay, so the
figures still add up. Each partner's record leaves its own destruction record and audit event,
kept behind the wall: the man's destruction record says nothing of his partners. The audit event
names what ran the retention (the nightly task, or the command), no member of staff."""

from dvpp.audit import audit_change
from dvpp.models import AuditEvent
from participants.models import Participant, RetentionRecord
from participants.retention import REMOVED

from .models import CheckIn, MaracReferral, Partner, RiskAssessment, RiskLowering, SafetyPlan


def anonymise(*, participant: Participant) -> None:
    """The receiver of ``hooks.retention``: his partners' records, one by one. Returns nothing
    for his destruction record."""
    for partner in Partner.objects.filter(participant=participant):
        # Encrypted fields are written one row at a time so that they stay encrypted.
        partner.last_name, partner.first_name, partner.patronymic = REMOVED, REMOVED, ""
        partner.phone = partner.email = partner.address = partner.safe_contact_notes = ""
        partner.consent_scope = partner.children_ages = ""
        partner.state = Partner.State.CLOSED
        partner.save()
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
        RetentionRecord.objects.create(
            organisation_id=participant.organisation_id,
            subject=RetentionRecord.Subject.PARTNER,
            reference=str(partner.public_id)[:8],
            object_id=str(partner.public_id),
            reason=RetentionRecord.Reason.RETENTION,
            removed=hers,
        )
        # Done by the system, not by a member of staff: no user.
        audit_change(
            AuditEvent.Action.ERASE,
            partner,
            what="anonymised: retention period over",
            organisation_id=participant.organisation_id,
        )
