"""Writes of the partner support service: partners, contact, risk, safety plans and check-ins,
and the two things that cross the wall, each carrying nothing about her:

* to the man's side, a dated risk flag (risk_flag_raise);
* from the man's side, a task to contact her today when he misses a session or leaves the
  programme (risk_event).

Each change a worker makes is audited here, in its transaction, on her record: ids and codes
only (``what`` names the kind of change, never what was typed), whichever way it came.
"""

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import ConsentTemplate, Subject
from consent.services import consent_give, consent_withdraw
from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Organisation, User
from participants.models import Participant, RiskLevel
from participants.services import risk_flag_raise

from .models import (
    Answer,
    CheckIn,
    ContactAttempt,
    IncidentType,
    MaracReferral,
    Partner,
    PartnerConsent,
    PartnerTask,
    RiskAssessment,
    RiskChecklist,
    RiskLowering,
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
    twice (the same ``submission_key``) records her once, and is audited once."""
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
    audit_change(AuditEvent.Action.CREATE, partner, by=by)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, by: User, data: Mapping[str, Any]) -> Partner:
    """Save her details as changed on her record. Whose partner she is never changes (a new
    record is made instead): a ``participant`` in ``data`` is left as it was."""
    for name, value in data.items():
        if name != "participant":
            setattr(partner, name, value)
    partner.full_clean(exclude=["search_text"])
    partner.save()
    audit_change(AuditEvent.Action.CHANGE, partner, by=by, what="details")
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
    audit_change(AuditEvent.Action.CHANGE, partner, by=by, what="contact attempt")
    return attempt


def _lowering_check(
    partner: Partner, level: str, *, confirmed: bool, reason: str, field: str
) -> dict[str, str]:
    """The errors that stop her level being lowered: a lowering must be confirmed, with a reason.
    An unknown level never replaces a known one (that would lower it without a decision)."""
    current = partner.risk_level or ""
    if not current or RISK_ORDER[level] >= RISK_ORDER[current]:
        return {}
    if not level:
        return {
            field: _("Her risk level is %(level)s: choose a level. An unknown cannot replace it.")
            % {"level": RiskLevel(current).label}
        }
    if not confirmed:
        return {
            "confirm_lower": _(
                "This lowers her risk level from %(old)s to %(new)s. Confirm it and say why."
            )
            % {"old": RiskLevel(current).label, "new": RiskLevel(level).label}
        }
    if not reason.strip():
        return {"lower_reason": _("Say why her risk is lower.")}
    return {}


def _set_risk(
    partner: Partner,
    level: str,
    *,
    by: User,
    reason: str = "",
    assessment: RiskAssessment | None = None,
    checkin: CheckIn | None = None,
) -> None:
    """Set her risk level. A rise is flagged on the man's case (a date, nothing else); a
    lowering (checked beforehand by _lowering_check) is recorded with who, when and why, and
    audited. An unknown level leaves hers as it is."""
    if not level:
        return
    old = partner.risk_level or ""
    if level == old:
        return
    partner.risk_level = level
    partner.save(update_fields=["risk_level"])
    if RISK_ORDER[level] > RISK_ORDER[old]:
        if level in {RiskLevel.MEDIUM, RiskLevel.HIGH}:
            # Dated the day it is raised: the date of her check-in must not reach his side.
            risk_flag_raise(participant=partner.participant)
        return
    RiskLowering.objects.create(
        partner=partner,
        from_level=old,
        to_level=level,
        reason=reason.strip(),
        assessment=assessment,
        checkin=checkin,
        by=by,
    )
    audit_change(AuditEvent.Action.CHANGE, partner, by=by, what=f"risk lowered {old} to {level}")


@transaction.atomic
def risk_assess(
    *,
    partner: Partner,
    by: User,
    checklist: RiskChecklist,
    assessed_on: datetime.date,
    answers: Mapping[int, str] | None = None,
    yes_items: list[int] | None = None,
    professional_judgement: bool = False,
    judgement_note: str = "",
    score: int | None = None,
    confirm_lower: bool = False,
    lower_reason: str = "",
) -> RiskAssessment:
    """Score the risk checklist: each question answered yes, no or not asked; the score counts
    the yeses. At or above the checklist's threshold, or on professional judgement, the case is
    high risk and a MARAC referral is raised.

    A checklist with no question asked is refused: it says nothing about her risk. A result
    that would lower her level is refused unless the worker confirms it and says why.
    ``yes_items`` alone (for callers that asked every question, such as the demo) means those
    questions were answered yes and every other one no."""
    numbers = sorted(checklist.items.values_list("number", flat=True))
    if answers is None:
        chosen = set(yes_items or [])
        if not chosen <= set(numbers):
            raise ValidationError(_("An answer refers to a question this checklist does not have."))
        answers = {n: Answer.YES if n in chosen else Answer.NO for n in numbers}
    given = {int(n): value for n, value in answers.items()}
    if not set(given) <= set(numbers):
        raise ValidationError(_("An answer refers to a question this checklist does not have."))
    if not set(given.values()) <= set(Answer.values):
        raise ValidationError(_("An answer must be yes, no or not asked."))
    stored = {str(n): given.get(n, Answer.NOT_ASKED) for n in numbers}
    yes = [n for n in numbers if stored[str(n)] == Answer.YES]
    errors: dict[str, str] = {}
    if all(value == Answer.NOT_ASKED for value in stored.values()):
        raise ValidationError(
            _("No question was answered: ask her the questions and record yes or no for each.")
        )
    if score is not None and score != len(yes):
        raise ValidationError(
            {
                "score": _("The score %(score)s does not match the %(yes)s “yes” answers.")
                % {"score": score, "yes": len(yes)}
            }
        )
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("This date is in the future.")
    if professional_judgement and not judgement_note.strip():
        errors["judgement_note"] = _("Say why your professional judgement makes this high risk.")
    if len(yes) >= checklist.high_risk_threshold or professional_judgement:
        level = RiskLevel.HIGH
    elif len(yes) >= checklist.medium_risk_threshold:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    # Her level as it is now, locked: two assessments at once cannot both lower it unconfirmed.
    partner.risk_level = Partner.objects.select_for_update().get(pk=partner.pk).risk_level
    errors.update(
        _lowering_check(
            partner, level, confirmed=confirm_lower, reason=lower_reason, field="answers"
        )
    )
    if errors:
        raise ValidationError(errors)
    assessment = RiskAssessment.objects.create(
        partner=partner,
        checklist=checklist,
        assessed_on=assessed_on,
        yes_items=yes,
        answers=stored,
        score=len(yes),
        professional_judgement=professional_judgement,
        judgement_note=judgement_note.strip(),
        risk_level=level,
        by=by,
    )
    _set_risk(partner, level, by=by, reason=lower_reason, assessment=assessment)
    if level == RiskLevel.HIGH and not partner.marac.filter(outcome="").exists():
        MaracReferral.objects.create(partner=partner, assessment=assessment)
    audit_change(AuditEvent.Action.CHANGE, partner, by=by, what="risk assessment")
    return assessment


@transaction.atomic
def marac_update(
    *,
    referral: MaracReferral,
    referred_on: datetime.date | None,
    meeting_on: datetime.date | None,
    outcome: str,
    by: User | None = None,
) -> MaracReferral:
    """Record where her MARAC referral stands: referred (not in the future), the meeting (not
    before the referral) and its outcome. Audited on her record, as done by ``by`` (None: by
    what ran it)."""
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
    audit_change(AuditEvent.Action.CHANGE, referral.partner, by=by, what="MARAC")
    return referral


@transaction.atomic
def safety_plan_save(
    *, partner: Partner, by: User, sections: dict[str, str], review_on: datetime.date
) -> SafetyPlan:
    """Save the safety plan as a new version; earlier versions stay as they were."""
    if review_on < timezone.localdate():
        raise ValidationError({"review_on": _("The review date is in the past.")})
    last = partner.safety_plans.select_for_update().first()
    plan = SafetyPlan.objects.create(
        partner=partner,
        version=(last.version + 1) if last else 1,
        review_on=review_on,
        by=by,
        **{
            name: sections.get(name, "").strip()
            for name in ("contacts", "safe_places", "warning_signs", "children")
        },
    )
    audit_change(AuditEvent.Action.CHANGE, partner, by=by, what="safety plan")
    return plan


def checkin_record(
    *,
    partner: Partner,
    by: User,
    data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
    confirm_lower: bool = False,
    lower_reason: str = "",
) -> CheckIn:
    """Record a safety check-in. Not in the future, not before the first contact with her, and
    the next one due today or later. Her risk level follows; a rise or a new incident is flagged
    on the man's case. "Unknown" after the check-in leaves an unknown level unknown; a lower
    level needs the worker's confirmation and reason."""
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
    level = data.get("risk_level_after") or ""
    if level and level not in RiskLevel.values:
        errors["risk_level_after"] = _("Unknown risk level.")
    else:
        errors.update(
            _lowering_check(
                partner,
                level,
                confirmed=confirm_lower,
                reason=lower_reason,
                field="risk_level_after",
            )
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            locked = Partner.objects.select_for_update().get(pk=partner.pk)
            # Her level may have changed since the form was checked: check it again, locked.
            if late := _lowering_check(
                locked,
                level,
                confirmed=confirm_lower,
                reason=lower_reason,
                field="risk_level_after",
            ):
                raise ValidationError(late)
            partner.risk_level = locked.risk_level
            checkin = CheckIn.objects.create(
                partner=partner, by=by, submission_key=submission_key, **data
            )
            _set_risk(partner, level, by=by, reason=lower_reason, checkin=checkin)
            if data.get("incidents"):
                risk_flag_raise(participant=partner.participant)
            if partner.state in {Partner.State.NOT_CONTACTED, Partner.State.NOT_REACHABLE}:
                partner.state = Partner.State.ENGAGED
                partner.save(update_fields=["state"])
            audit_change(AuditEvent.Action.CHANGE, partner, by=by, what="check-in")
    except IntegrityError:
        existing = CheckIn.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return checkin


def risk_event(*, participant: Participant, reason: str, key: str) -> None:
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


@transaction.atomic
def partner_task_done(*, task: PartnerTask, by: User) -> None:
    """Mark her task done, once: a task already done keeps who did it and when."""
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = by
        task.save(update_fields=["done_at", "done_by"])
        audit_change(AuditEvent.Action.CHANGE, task.partner, by=by, what="task")


# --- her consents (kept behind the wall, with the rules of the consent app) -------------------


def partner_consent_give(
    *,
    partner: Partner,
    template: ConsentTemplate,
    given_on: datetime.date,
    how: str,
    by: User,
    submission_key: uuid.UUID | None = None,
) -> PartnerConsent:
    """Her consent: kept behind the wall, in ``PartnerConsent``, checked as every consent is
    (``consent.services.consent_give``); audited on her record by its purpose."""
    with transaction.atomic():
        record, new = consent_give(
            PartnerConsent,
            Subject.PARTNER,
            "partner",
            partner,
            template,
            given_on,
            how,
            by,
            submission_key,
        )
        if new:  # the same form sent twice is one consent, audited once
            what = f"consent: {record.template.purpose}"
            audit_change(AuditEvent.Action.CREATE, partner, by=by, what=what)
    return record


@transaction.atomic
def partner_consent_withdraw(
    *, record: PartnerConsent, on: datetime.date, how: str, by: User
) -> None:
    """Record her withdrawal. Nothing is ever sent to her, so there are no messages to stop;
    her record then warns that support has no valid consent. Audited on her record."""
    record = consent_withdraw(record, on, how, by)
    what = f"consent withdrawn: {record.template.purpose}"
    audit_change(AuditEvent.Action.CHANGE, record.partner, by=by, what=what)
