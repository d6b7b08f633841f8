"""Writes of the partner support service: partners, contact, risk, safety plans and check-ins,
and the two things that cross the wall, each carrying nothing about her:

* to the man's side, a dated risk flag (risk_flag_raise);
* from the man's side, a task to contact her today when he misses a session or leaves the
  programme (risk_event).
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.models import Organisation, User
from participants.models import Participant, RiskLevel
from participants.services import risk_flag_raise

from .models import (
    CheckIn,
    ContactAttempt,
    IncidentType,
    MaracReferral,
    Partner,
    PartnerTask,
    RiskAssessment,
    RiskChecklist,
    SafetyPlan,
)

RISK_ORDER = {"": 0, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


@transaction.atomic
def partner_create(
    *,
    organisation: Organisation,
    by: User,
    participant: Participant,
    data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
) -> Partner:
    """Record a partner or ex-partner of a man of the same organisation. The same form sent
    twice (the same ``submission_key``) records her once."""
    if submission_key:
        existing = Partner.objects.filter(
            submission_key=submission_key, organisation=organisation
        ).first()
        if existing is not None:
            return existing
    if participant.organisation_id != organisation.pk:
        raise ValidationError({"participant": _("Choose a man of this organisation.")})
    partner = Partner(
        organisation=organisation, participant=participant, submission_key=submission_key, **data
    )
    if partner.worker_id is None:
        partner.worker = by
    partner.full_clean(exclude=["search_text"])
    partner.save()
    return partner


def first_contact(partner: Partner) -> ContactAttempt | None:
    return partner.attempts.filter(outcome=ContactAttempt.Outcome.REACHED).order_by("at").first()


@transaction.atomic
def contact_attempt_record(
    *, partner: Partner, by: User, at: datetime.datetime, method: str, outcome: str
) -> ContactAttempt:
    """Record an attempt to reach her; reaching her makes her engaged, a refusal declined."""
    if at > timezone.now():
        raise ValidationError({"at": _("This time is in the future.")})
    attempt = ContactAttempt.objects.create(
        partner=partner, at=at, method=method, outcome=outcome, by=by
    )
    new_state = {
        ContactAttempt.Outcome.REACHED: Partner.State.ENGAGED,
        ContactAttempt.Outcome.DECLINED: Partner.State.DECLINED,
    }.get(outcome)
    if (
        outcome == ContactAttempt.Outcome.WRONG_NUMBER
        and partner.state == Partner.State.NOT_CONTACTED
    ):
        new_state = Partner.State.NOT_REACHABLE
    if new_state and partner.state != Partner.State.CLOSED:
        partner.state = new_state
        partner.save(update_fields=["state"])
    return attempt


def _raise_risk(partner: Partner, level: str, on: datetime.date) -> None:
    """Set her risk level; a rise is flagged on the man's case (a date, nothing else)."""
    raised = RISK_ORDER[level] > RISK_ORDER[partner.risk_level or ""]
    partner.risk_level = level
    partner.save(update_fields=["risk_level"])
    if raised and level in {RiskLevel.MEDIUM, RiskLevel.HIGH}:
        # Dated the day it is raised: the date of her check-in must not reach his side.
        risk_flag_raise(participant=partner.participant)


@transaction.atomic
def risk_assess(
    *,
    partner: Partner,
    by: User,
    checklist: RiskChecklist,
    yes_items: list[int],
    assessed_on: datetime.date,
    professional_judgement: bool = False,
    judgement_note: str = "",
    score: int | None = None,
) -> RiskAssessment:
    """Score the risk checklist. At or above the checklist's threshold, or on professional
    judgement, the case is high risk and a MARAC referral is raised."""
    numbers = set(checklist.items.values_list("number", flat=True))
    yes = sorted(set(yes_items))
    if not set(yes) <= numbers:
        raise ValidationError(_("An answer refers to a question this checklist does not have."))
    if score is not None and score != len(yes):
        raise ValidationError(
            {
                "score": _("The score %(score)s does not match the %(yes)s “yes” answers.")
                % {"score": score, "yes": len(yes)}
            }
        )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("This date is in the future.")})
    if professional_judgement and not judgement_note.strip():
        raise ValidationError(
            {"judgement_note": _("Say why your professional judgement makes this high risk.")}
        )
    if len(yes) >= checklist.high_risk_threshold or professional_judgement:
        level = RiskLevel.HIGH
    elif len(yes) >= checklist.medium_risk_threshold:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    assessment = RiskAssessment.objects.create(
        partner=partner,
        checklist=checklist,
        assessed_on=assessed_on,
        yes_items=yes,
        score=len(yes),
        professional_judgement=professional_judgement,
        judgement_note=judgement_note.strip(),
        risk_level=level,
        by=by,
    )
    _raise_risk(partner, level, assessed_on)
    if level == RiskLevel.HIGH and not partner.marac.filter(outcome="").exists():
        MaracReferral.objects.create(partner=partner, assessment=assessment)
    return assessment


@transaction.atomic
def marac_update(
    *,
    referral: MaracReferral,
    referred_on: datetime.date | None,
    meeting_on: datetime.date | None,
    outcome: str,
) -> MaracReferral:
    if referred_on and referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("This date is in the future.")})
    if referred_on and meeting_on and meeting_on < referred_on:
        raise ValidationError({"meeting_on": _("The meeting cannot be before the referral.")})
    referral.referred_on, referral.meeting_on, referral.outcome = (
        referred_on,
        meeting_on,
        outcome.strip(),
    )
    referral.save(update_fields=["referred_on", "meeting_on", "outcome"])
    return referral


@transaction.atomic
def safety_plan_save(
    *, partner: Partner, by: User, sections: dict[str, str], review_on: datetime.date
) -> SafetyPlan:
    """Save the safety plan as a new version; earlier versions stay as they were."""
    if review_on < timezone.localdate():
        raise ValidationError({"review_on": _("The review date is in the past.")})
    last = partner.safety_plans.select_for_update().first()
    return SafetyPlan.objects.create(
        partner=partner,
        version=(last.version + 1) if last else 1,
        review_on=review_on,
        by=by,
        **{
            name: sections.get(name, "").strip()
            for name in ("contacts", "safe_places", "warning_signs", "children")
        },
    )


def checkin_record(
    *,
    partner: Partner,
    by: User,
    data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
) -> CheckIn:
    """Record a safety check-in. Not in the future, not before the first contact with her, and
    the next one due today or later. Her risk level follows; a rise or a new incident is flagged
    on the man's case."""
    if submission_key:
        existing = CheckIn.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    today = timezone.localdate()
    errors = {}
    if data["on"] > today:
        errors["on"] = _("This date is in the future.")
    contact = first_contact(partner)
    if contact is None:
        errors["on"] = _("Record the first contact with her before a check-in.")
    elif data["on"] < timezone.localtime(contact.at).date():
        errors["on"] = _("A check-in cannot be before the first contact with her.")
    if data["next_due"] < today:
        errors["next_due"] = _("The next check-in cannot be due in the past.")
    unknown = set(data.get("incidents", [])) - set(IncidentType.values)
    if unknown:
        errors["incidents"] = _("Unknown incident type.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                partner=partner, by=by, submission_key=submission_key, **data
            )
            _raise_risk(partner, data["risk_level_after"], data["on"])
            if data.get("incidents"):
                risk_flag_raise(participant=partner.participant)
            if partner.state in {Partner.State.NOT_CONTACTED, Partner.State.NOT_REACHABLE}:
                partner.state = Partner.State.ENGAGED
                partner.save(update_fields=["state"])
    except IntegrityError:
        existing = CheckIn.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return checkin


def risk_event(*, participant: Participant, reason: PartnerTask.Reason, key: str) -> None:
    """Something on the man's side that puts her at risk (a missed session, an exit): each of
    his partners still supported gets a task to be contacted today. His side learns nothing
    back."""
    today = timezone.localdate()
    partners = Partner.objects.filter(participant=participant).exclude(
        state__in=[Partner.State.DECLINED, Partner.State.CLOSED]
    )
    for partner in partners:
        PartnerTask.objects.get_or_create(
            partner=partner,
            kind=PartnerTask.Kind.CONTACT_TODAY,
            key=key,
            defaults={"reason": reason, "due_on": today},
        )


def partner_task_done(*, task: PartnerTask, by: User) -> None:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = by
        task.save(update_fields=["done_at", "done_by"])
