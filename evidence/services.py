"""Recording incidents after referral, his change assessment and comparison groups, and the harm
of a man's incidents in a window. Each record made is audited here, in its transaction."""

import datetime
import uuid
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.audit import audit_change
from dvpp.models import AuditEvent, User

from .models import (
    ChangeAssessment,
    ChangeInstrument,
    ComparisonCohort,
    Incident,
    IncidentCategory,
    Rating,
)


@transaction.atomic
def incident_record(
    *,
    participant,
    by: User | None,
    occurred_on: datetime.date,
    known_via: str,
    category: IncidentCategory,
    police_involved: bool = False,
    outcome: str = Incident.Outcome.UNKNOWN,
    submission_key: uuid.UUID | None = None,
    reported_by=None,
    audit: bool = True,
) -> Incident:
    """Record one incident after his referral: not in the future, not before he was referred,
    of a category of his organisation. ``reported_by``: the partner who told the partner
    support service (then known via partner support).

    Audited on his case, or, when she reported it, on her record alone (behind the wall: his
    side's log never learns of it). An import audits the whole file once instead
    (``audit=False``, :func:`evidence.importing.import_incidents`)."""
    if submission_key and (found := Incident.objects.filter(submission_key=submission_key)):
        incident = found.get()
        if incident.participant_id != participant.pk:
            raise ValidationError(_("This form was already sent for another case."))
        return incident
    errors = {}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("An incident cannot be recorded for a future date.")
    first = participant.referrals.order_by("received_on").values_list("received_on", flat=True)
    referred_on = first.first()
    if referred_on is None:
        errors["occurred_on"] = _("He has no referral yet: incidents count from his referral.")
    elif occurred_on < referred_on:
        errors["occurred_on"] = _(
            "This is before his referral (%(date)s): only incidents after it are recorded."
        ) % {"date": referred_on.strftime("%d.%m.%Y")}
    if category.organisation_id != participant.organisation_id:
        errors["category"] = _("Choose one of this organisation's categories.")
    if known_via not in Incident.KnownVia.values:
        errors["known_via"] = _("Say how the incident became known.")
    if outcome not in Incident.Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        occurred_on=occurred_on,
        known_via=known_via,
        category=category,
        police_involved=police_involved,
        outcome=outcome,
        recorded_by=by,
        reported_by=reported_by,
        submission_key=submission_key,
    )
    if audit:
        audit_change(
            AuditEvent.Action.CREATE,
            reported_by if reported_by is not None else participant,
            by=by,
            what=f"incident {incident.pk}",
        )
    return incident


def harm_in_window(participant, *, start: datetime.date, months: int = 12) -> Decimal:
    """The total harm of his incidents from ``start`` for ``months`` (the category weights)."""
    end = start + relativedelta(months=months)
    total = Incident.objects.filter(
        participant=participant, occurred_on__gte=start, occurred_on__lt=end
    ).aggregate(total=Sum("category__harm_weight"))["total"]
    return total or Decimal(0)


@transaction.atomic
def change_assessment_record(
    *,
    participant,
    by: User | None,
    assessed_on: datetime.date,
    capacity: bool,
    motivation: bool,
    ratings: dict[str, str],
    used_group_work: bool = False,
    used_individual_sessions: bool = False,
    used_partner_feedback: bool = False,
) -> ChangeAssessment:
    """His change assessment at exit, on the organisation's current instrument: once, and only
    when his programme has ended. Audited on his case."""
    from participants.models import CLOSED_STATUSES, Status
    from sessions.models import Attendance

    errors = {}
    started = Attendance.objects.filter(
        participant=participant, outcome__in=Attendance.ATTENDED
    ).exists()
    if participant.status not in CLOSED_STATUSES or participant.status == Status.UNSUITABLE:
        errors["assessed_on"] = _(
            "He has not reached exit: the change assessment is made when his programme ends."
        )
    elif not started:
        errors["assessed_on"] = _(
            "He never attended a session: there is no change on the programme to assess."
        )
    if ChangeAssessment.objects.filter(participant=participant).exists():
        errors["assessed_on"] = _("His change assessment is already recorded.")
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("An assessment cannot be dated in the future.")
    instrument = current_change_instrument(participant.organisation_id)
    codes = [code for code, _en, _ru in instrument.behaviours] if instrument else []
    if instrument is None:
        errors["assessed_on"] = _("The organisation has no change assessment instrument.")
    elif set(ratings) != set(codes) or any(
        value not in Rating.values for value in ratings.values()
    ):
        errors["ratings"] = _("Rate every behaviour of the instrument.")
    if not (used_group_work or used_individual_sessions or used_partner_feedback):
        errors["used_group_work"] = _("Say which evidence the assessment used.")
    if errors:
        raise ValidationError(errors)
    assessment = ChangeAssessment.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        instrument=instrument,
        assessed_on=assessed_on,
        capacity=capacity,
        motivation=motivation,
        ratings=ratings,
        used_group_work=used_group_work,
        used_individual_sessions=used_individual_sessions,
        used_partner_feedback=used_partner_feedback,
        assessed_by=by,
    )
    audit_change(AuditEvent.Action.CREATE, participant, by=by, what="change assessment")
    return assessment


def current_change_instrument(organisation_id: int) -> ChangeInstrument | None:
    return (
        ChangeInstrument.objects.filter(organisation_id=organisation_id, is_current=True)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def comparison_cohort_create(
    *, organisation, by: User | None, submission_key: uuid.UUID | None = None, **values
) -> ComparisonCohort:
    """A comparison group a partner agency gave as counts: refused whole if it has nobody in it
    or its counts contradict each other. The same form sent twice makes one group, audited
    once."""
    if submission_key and (
        found := ComparisonCohort.objects.filter(
            submission_key=submission_key, organisation=organisation
        ).first()
    ):
        return found
    cohort = ComparisonCohort(
        organisation=organisation, created_by=by, submission_key=submission_key, **values
    )
    cohort.full_clean()
    cohort.save()
    audit_change(AuditEvent.Action.CREATE, cohort, by=by)
    return cohort
