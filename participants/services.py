"""Writes on cases: intake, referrals, the status workflow, assessments, risk and case notes.

Each function checks its rule, saves all or nothing, and raises ``ValidationError`` with a
translated message on bad input.

The actions a member of staff takes on a case (opening it, a referral, a status move, a note, …)
write their audit row here, in their transaction (:func:`dvpp.audit.audit_change`: who, and the
page, command or task it came from). The steps that other actions are made of
(:func:`participant_change_status`, :func:`case_open`, :func:`referral_append`,
:func:`case_task_raise`, :func:`case_task_done`, :func:`risk_flag_raise`) write none: the action
they are part of records them in its own row, as it always did (an enrolment names the status
move it made; an import is one row for its file).
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp import hooks
from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Organisation, User
from dvpp.search import normalise

from .models import (
    CLOSED_STATUSES,
    SYSTEM_REASONS,
    Assessment,
    AssessmentAppointment,
    AssessmentOutcome,
    CaseNote,
    CaseNoteCategory,
    CaseTask,
    Participant,
    Referral,
    RiskLevel,
    Status,
    StatusChange,
)

# Ways out of any open state; each needs a reason.
EXITS = frozenset(
    {
        Status.UNSUITABLE,
        Status.NOT_ENGAGED,
        Status.WITHDRAWN,
        Status.BREACHED,
        Status.EXCLUDED,
        Status.MOVED_AWAY,
    }
)

# The workflow: from each status, where a case may go next. A closed case goes nowhere; a new
# referral reopens it (see referral_add).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REFERRED: frozenset({Status.ASSESSMENT}) | EXITS,
    Status.ASSESSMENT: frozenset({Status.WAITING_LIST}) | EXITS,
    Status.WAITING_LIST: frozenset({Status.ALLOCATED}) | EXITS,
    Status.ALLOCATED: frozenset({Status.IN_PROGRAMME, Status.WAITING_LIST}) | EXITS,
    Status.IN_PROGRAMME: frozenset({Status.COMPLETED}) | EXITS,
    **{status: frozenset() for status in CLOSED_STATUSES},
}
REASON_REQUIRED = EXITS
PARTNER_RISK_EXITS = frozenset({Status.WITHDRAWN, Status.BREACHED, Status.EXCLUDED})
Action = AuditEvent.Action


def _moved(before: str, participant: Participant) -> str:
    """For the audit log: the status move an action made, if it made one (codes, not names)."""
    return f"; status: {before}→{participant.status}" if participant.status != before else ""


def allowed_transitions(participant: Participant) -> list[Status]:
    """The statuses a case may move to next, in workflow order."""
    allowed = TRANSITIONS[Status(participant.status)]
    return [status for status in Status if status in allowed]


def participant_change_status(
    *,
    participant: Participant,
    to_status: Status | str,
    by: User | None,
    reason: str = "",
    exit_reason=None,
    _allow_reopen: bool = False,
) -> StatusChange:
    """Move a case along the workflow, recording who, when and why.

    Only the moves in TRANSITIONS are allowed; an exit (unsuitable, did not engage, withdrawn,
    breached, excluded, moved away) needs a reason. The case row is locked, so two people
    moving the same case at once cannot both succeed from the same starting status.

    A step: it writes no audit row (the action it is part of names the move in its own);
    :func:`participant_set_status` is the move made on its own, audited.
    """
    to_status = Status(to_status)
    reason = reason.strip()
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        from_status = Status(locked.status)
        reopening = (
            _allow_reopen and from_status in CLOSED_STATUSES and to_status == Status.REFERRED
        )
        if not reopening and to_status not in TRANSITIONS[from_status]:
            raise ValidationError(
                _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": from_status.label, "to": to_status.label}
            )
        if to_status in REASON_REQUIRED and not reason:
            raise ValidationError(
                {"reason": _("Say why the case is now “%(to)s”.") % {"to": to_status.label}}
            )
        if exit_reason is not None:
            if to_status not in CLOSED_STATUSES:
                raise ValidationError(
                    {"exit_reason": _("An exit reason goes with a status that closes the case.")}
                )
            if exit_reason.organisation_id != locked.organisation_id:
                raise ValidationError(
                    {"exit_reason": _("Choose one of this organisation's reasons.")}
                )
        now = timezone.now()
        locked.status = to_status
        locked.status_changed_at = now
        locked.save(update_fields=["status", "status_changed_at"])
        change = StatusChange.objects.create(
            participant=locked,
            from_status=from_status,
            to_status=to_status,
            changed_at=now,
            changed_by=by,
            reason=reason,
            exit_reason=exit_reason,
        )
        if to_status in PARTNER_RISK_EXITS:
            # A man leaving the programme is a risk event for his partners: the partner support
            # service is told to contact them today (dvpp.hooks.risk_event, filled by the
            # partners app). Nothing comes back to his side.
            hooks.risk_event.call(
                participant=locked, reason=to_status.value, key=f"exit-{change.pk}"
            )
    participant.status, participant.status_changed_at = locked.status, locked.status_changed_at
    return change


@transaction.atomic
def participant_set_status(
    *,
    participant: Participant,
    to_status: Status | str,
    by: User | None,
    reason: str = "",
    exit_reason=None,
) -> StatusChange:
    """A member of staff moves a case along the workflow (the rules of
    :func:`participant_change_status`), audited as the move from one status to the other."""
    change = participant_change_status(
        participant=participant,
        to_status=to_status,
        by=by,
        reason=reason,
        exit_reason=exit_reason,
    )
    audit_change(
        Action.CHANGE,
        participant,
        by=by,
        what=f"status: {change.from_status}→{change.to_status}",
    )
    return change


def find_same_person(
    *, organisation: Organisation, last_name: str, first_name: str, date_of_birth: datetime.date
) -> Participant | None:
    """The matching rule for people: same organisation, surname, given name and date of birth,
    compared case-blind and with «ё» as «е»."""
    candidates = Participant.objects.filter(
        organisation=organisation, date_of_birth=date_of_birth
    ).only("pk", "public_id", "last_name", "first_name", "reference")
    for candidate in candidates:
        if normalise(candidate.last_name) == normalise(last_name) and normalise(
            candidate.first_name
        ) == normalise(first_name):
            return candidate
    return None


def _next_reference(organisation: Organisation) -> str:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    locked.case_counter += 1
    locked.save(update_fields=["case_counter"])
    return f"{locked.case_counter:05d}"


def _build_referral(*, participant: Participant, by: User | None, data: dict[str, Any]) -> Referral:
    data = dict(data)
    offences = data.pop("offences", None)
    referral = Referral(
        organisation_id=participant.organisation_id,
        participant=participant,
        created_by=by,
        **data,
    )
    referral.full_clean(exclude=["participant", "submission_key"])
    if offences:
        wrong = [o for o in offences if o.organisation_id != participant.organisation_id]
        if wrong:
            raise ValidationError({"offences": _("Choose this organisation's categories.")})
    referral._offences = list(offences or [])
    return referral


def _save_referral(referral: Referral) -> None:
    referral.save()
    if getattr(referral, "_offences", None):
        referral.offences.set(referral._offences)


def _open(
    participant: Participant,
    *,
    by: User | None,
    referral_data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
) -> None:
    """Save a new case with its reference, its first referral and its first status."""
    with transaction.atomic():
        participant.reference = _next_reference(participant.organisation)
        participant.save()
        referral = _build_referral(participant=participant, by=by, data=referral_data)
        referral.submission_key = submission_key
        _save_referral(referral)
        StatusChange.objects.create(
            participant=participant,
            from_status="",
            to_status=Status.REFERRED,
            changed_at=participant.status_changed_at,
            changed_by=by,
            reason=SYSTEM_REASONS["Referral received"],
        )


def case_open(
    *,
    organisation: Organisation,
    by: User | None,
    participant_data: dict[str, Any],
    referral_data: dict[str, Any],
) -> Participant:
    """A step of an import: open a case for a man the import has already matched against the
    organisation's cases (see :func:`find_same_person`), with his first referral. No audit row:
    the import writes one for its file."""
    participant = Participant(organisation=organisation, created_by=by, **participant_data)
    participant.full_clean(exclude=["reference", "search_text"])
    _open(participant, by=by, referral_data=referral_data)
    return participant


def referral_intake(
    *,
    organisation: Organisation,
    by: User | None,
    participant_data: dict[str, Any],
    referral_data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
) -> Participant:
    """Open a case for a newly referred man, with his first referral, in status "referred".

    A man already known to the organisation (see find_same_person) is refused: the new referral
    belongs on his existing case. Submitting the same form twice (same submission key) returns
    the case the first submit made instead of opening a second one. Audited: the case opened.
    """
    if submission_key:
        existing = Referral.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing.participant
    participant = Participant(organisation=organisation, created_by=by, **participant_data)
    participant.full_clean(exclude=["reference", "search_text"])
    same = find_same_person(
        organisation=organisation,
        last_name=participant.last_name,
        first_name=participant.first_name,
        date_of_birth=participant.date_of_birth,
    )
    if same is not None:
        raise ValidationError(
            _(
                "%(name)s, born %(born)s, already has a case (%(reference)s): add this referral "
                "to that case instead."
            )
            % {
                "name": same.full_name,
                "born": participant.date_of_birth.strftime("%d.%m.%Y"),
                "reference": same.reference,
            }
        )
    try:
        with transaction.atomic():
            _open(participant, by=by, referral_data=referral_data, submission_key=submission_key)
            audit_change(Action.CREATE, participant, by=by, what="case opened (intake)")
    except IntegrityError:
        # The same form submitted twice at once: the other request made the case.
        if submission_key:
            existing = Referral.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing.participant
        raise
    return participant


def referral_add(
    *,
    participant: Participant,
    by: User | None,
    data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
) -> Referral:
    """Add a referral to an existing case. A closed case is reopened as "referred". Audited:
    the referral, and the reopening if there was one."""
    if submission_key:
        existing = Referral.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    before = participant.status
    with transaction.atomic():
        referral = referral_append(
            participant=participant, by=by, data=data, submission_key=submission_key
        )
        audit_change(
            Action.CREATE,
            participant,
            by=by,
            what=f"referral {referral.pk}{_moved(before, participant)}",
        )
    return referral


def referral_append(
    *,
    participant: Participant,
    by: User | None,
    data: dict[str, Any],
    submission_key: uuid.UUID | None = None,
) -> Referral:
    """The step of :func:`referral_add` an import takes too: save the referral on his case and
    reopen a closed case. No audit row (the import writes one for its file)."""
    referral = _build_referral(participant=participant, by=by, data=data)
    referral.submission_key = submission_key
    with transaction.atomic():
        _save_referral(referral)
        if participant.status in CLOSED_STATUSES:
            participant_change_status(
                participant=participant,
                to_status=Status.REFERRED,
                by=by,
                reason=SYSTEM_REASONS["New referral"],
                _allow_reopen=True,
            )
    return referral


def _open_assessment(participant: Participant) -> Assessment:
    assessment = participant.assessments.filter(outcome="").first()
    if assessment is None:
        assessment = Assessment.objects.create(
            organisation_id=participant.organisation_id, participant=participant
        )
    return assessment


@transaction.atomic
def assessment_add_appointment(
    *,
    participant: Participant,
    by: User,
    date: datetime.date,
    attended: bool | None,
    assessor: User | None,
) -> AssessmentAppointment:
    """Record an assessment appointment; a referred case moves into assessment. Audited."""
    if participant.status not in {Status.REFERRED, Status.ASSESSMENT}:
        raise ValidationError(
            _("Only a referred case or one in assessment can have assessment appointments.")
        )
    if assessor is not None and assessor.organisation_id != participant.organisation_id:
        raise ValidationError({"assessor": _("The assessor must work in this organisation.")})
    if attended is not None and date > timezone.localdate():
        raise ValidationError(
            {"attended": _("Attendance can only be recorded once the day has come.")}
        )
    before = participant.status
    assessment = _open_assessment(participant)
    appointment = AssessmentAppointment.objects.create(
        assessment=assessment, date=date, attended=attended, assessor=assessor
    )
    if participant.status == Status.REFERRED:
        participant_change_status(
            participant=participant,
            to_status=Status.ASSESSMENT,
            by=by,
            reason=SYSTEM_REASONS["Assessment appointment recorded"],
        )
    audit_change(
        Action.CREATE,
        participant,
        by=by,
        what=f"assessment appointment {appointment.pk}{_moved(before, participant)}",
    )
    return appointment


OUTCOME_STATUS = {
    AssessmentOutcome.SUITABLE: Status.WAITING_LIST,
    AssessmentOutcome.UNSUITABLE: Status.UNSUITABLE,
    AssessmentOutcome.NOT_ENGAGED: Status.NOT_ENGAGED,
}


@transaction.atomic
def assessment_decide(
    *,
    participant: Participant,
    by: User,
    outcome: AssessmentOutcome | str,
    reason: str,
    risk_level: RiskLevel | str,
    partner_details_passed_on: datetime.date | None,
    decided_on: datetime.date,
) -> Assessment:
    """Record the outcome of an assessment and move the case on.

    Suitable: the waiting list, with a risk level set. Unsuitable or did not engage: the case
    closes, with a reason. Audited: the outcome and the status move.
    """
    outcome = AssessmentOutcome(outcome)
    reason = reason.strip()
    errors = {}
    if participant.status not in {Status.REFERRED, Status.ASSESSMENT}:
        raise ValidationError(_("This case is not in assessment."))
    if outcome == AssessmentOutcome.SUITABLE and not risk_level:
        errors["risk_level"] = _("Set the risk level for a man who is taken on.")
    if outcome != AssessmentOutcome.SUITABLE and not reason:
        errors["reason"] = _("Say why.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("This date is in the future.")
    if partner_details_passed_on and partner_details_passed_on > timezone.localdate():
        errors["partner_details_passed_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    before = participant.status
    assessment = _open_assessment(participant)
    assessment.outcome = outcome
    assessment.outcome_reason = reason
    assessment.risk_level = risk_level
    assessment.partner_details_passed_on = partner_details_passed_on
    assessment.decided_on = decided_on
    assessment.decided_by = by
    assessment.save()
    if risk_level:
        _set_risk(participant=participant, by=by, level=risk_level, on=decided_on)
    if participant.status == Status.REFERRED:
        participant_change_status(
            participant=participant, to_status=Status.ASSESSMENT, by=by, reason=""
        )
    participant_change_status(
        participant=participant, to_status=OUTCOME_STATUS[outcome], by=by, reason=reason
    )
    audit_change(
        Action.CHANGE,
        participant,
        by=by,
        what=f"assessment outcome: {assessment.outcome}{_moved(before, participant)}",
    )
    return assessment


@transaction.atomic
def participant_set_risk(
    *,
    participant: Participant,
    by: User,
    level: RiskLevel | str,
    on: datetime.date | None = None,
) -> None:
    """Set or confirm a man's risk level, with the date and who set it. Audited: the level
    before and after (codes)."""
    before = participant.risk_level or "-"
    _set_risk(participant=participant, by=by, level=level, on=on)
    what = f"risk level: {before}→{participant.risk_level}"
    audit_change(Action.CHANGE, participant, by=by, what=what)


def _set_risk(
    *, participant: Participant, by: User, level: RiskLevel | str, on: datetime.date | None
) -> None:
    participant.risk_level = RiskLevel(level)
    participant.risk_set_on = on or timezone.localdate()
    participant.risk_set_by = by
    participant.save(update_fields=["risk_level", "risk_set_on", "risk_set_by"])


@transaction.atomic
def participant_update(*, participant: Participant, by: User, changed: list[str]) -> None:
    """Save the details of his case that the form changed (``participant`` holds them, as a
    model form leaves its instance). Audited by the names of the fields changed, never their
    values."""
    participant.save()
    what = f"details: {', '.join(changed) or 'nothing'}"
    audit_change(Action.CHANGE, participant, by=by, what=what)


def case_note_add(
    *,
    participant: Participant,
    by: User,
    category: CaseNoteCategory,
    text: str,
    corrects: CaseNote | None = None,
    submission_key: uuid.UUID | None = None,
) -> CaseNote:
    """Add a note to a case. Notes are never edited: a correction is a new note pointing at the
    note it corrects, on the same case. Audited by the note's id (never its text)."""
    if submission_key:
        existing = CaseNote.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if category.organisation_id != participant.organisation_id or category.is_archived:
        raise ValidationError({"category": _("Choose one of this organisation's categories.")})
    if corrects is not None and corrects.participant_id != participant.pk:
        raise ValidationError(_("A correction must be on the same case as the note it corrects."))
    try:
        with transaction.atomic():
            note = CaseNote.objects.create(
                organisation_id=participant.organisation_id,
                participant=participant,
                category=category,
                text=text,
                corrects=corrects,
                author=by,
                submission_key=submission_key,
            )
            what = f"note {note.pk}" + (f" correcting note {corrects.pk}" if corrects else "")
            audit_change(Action.CREATE, participant, by=by, what=what)
            return note
    except IntegrityError:
        existing = CaseNote.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing


def case_task_raise(
    *, participant: Participant, kind: str, key: str, detail: str = ""
) -> tuple[CaseTask, bool]:
    """Raise a task on a case once: the same rule firing again returns the existing task."""
    return CaseTask.objects.get_or_create(
        participant=participant,
        kind=kind,
        key=key,
        defaults={"organisation_id": participant.organisation_id, "detail": detail},
    )


@transaction.atomic
def case_task_close(
    *, participant: Participant, task: CaseTask, by: User, reason: str = ""
) -> str | None:
    """A member of staff marks a task on his case done. A task raised by an app above (the end
    of his programme) is done by that app (``dvpp.hooks.case_task_done``), which may refuse
    with ValidationError and returns the message to show; any other is simply marked done
    (None: no message of its own). Audited: the task, and the status move it made."""
    before = participant.status
    done = hooks.case_task_done.call(participant=participant, task=task, by=by, reason=reason)
    if not done:
        case_task_done(task=task, by=by)
    audit_change(
        Action.CHANGE,
        participant,
        by=by,
        what=f"task {task.pk} ({task.kind}) done{_moved(before, participant)}",
    )
    return done[0] if done else None


def case_task_done(*, task: CaseTask, by: User) -> None:
    """A step: the task marked done (no audit row; see :func:`case_task_close`)."""
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = by
        task.save(update_fields=["done_at", "done_by"])


def risk_flag_raise(*, participant: Participant, on: datetime.date | None = None) -> None:
    """Show “heightened risk” on a man's case, dated; one open flag at a time."""
    from .models import RiskFlag

    on = on or timezone.localdate()
    flag = RiskFlag.objects.filter(participant=participant, acknowledged_at__isnull=True).first()
    if flag is None:
        RiskFlag.objects.create(
            organisation_id=participant.organisation_id, participant=participant, raised_on=on
        )
    elif flag.raised_on < on:
        flag.raised_on = on
        flag.save(update_fields=["raised_on"])


@transaction.atomic
def risk_flag_acknowledge(*, flag, by: User) -> None:
    """A member of staff has seen the flag. Audited on the flag, not on his case: a flag comes
    from the partner side, and his case's events go into his subject-access package, which
    leaves flags out (they say when she spoke)."""
    if flag.acknowledged_at is None:
        flag.acknowledged_at = timezone.now()
        flag.acknowledged_by = by
        flag.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_change(Action.CHANGE, flag, by=by, what="acknowledged")
