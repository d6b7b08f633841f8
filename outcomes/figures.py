"""The figures managers report, computed in the database: a fixed number of queries however
many responses, referrals or marks there are.

The paired before/after table follows the research this programme is judged by: for each
measure, among the people who answered the question at both waves, the share at the first wave
and at the second, with n. A row about fewer people than the organisation's minimum cell size is
suppressed, so nobody can be recognised.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from dvpp.models import Organisation
from participants.models import CLOSED_STATUSES, Referral, ReferralSource, Status
from partners.models import CheckIn, ContactAttempt, Partner
from sessions.models import Attendance, Enrolment

from .models import Answer, Instrument, Measure, Wave

EXITED_EARLY = [
    Status.WITHDRAWN,
    Status.BREACHED,
    Status.EXCLUDED,
    Status.NOT_ENGAGED,
    Status.MOVED_AWAY,
]


@dataclass
class Filters:
    instrument_code: str = "partner-safety"
    wave_from: str = Wave.BASELINE
    wave_to: str = Wave.EXIT
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    group_id: int | None = None
    source_id: int | None = None


@dataclass
class Row:
    code: str
    label: str
    n: int
    before: int | None = None  # per cent
    after: int | None = None
    change: int | None = None
    suppressed: bool = False
    counts: dict = field(default_factory=dict)


def _answers(organisation: Organisation, filters: Filters):
    answers = Answer.objects.filter(
        response__organisation=organisation,
        response__instrument_code=filters.instrument_code,
    )
    if filters.group_id:
        answers = answers.filter(response__participant__enrolments__group_id=filters.group_id)
    if filters.source_id:
        answers = answers.filter(response__participant__referrals__source_id=filters.source_id)
    return answers


def paired_table(organisation: Organisation, filters: Filters) -> list[Row]:
    """One row per measure of the survey: n, % before, % after, change (percentage points)."""
    instrument = (
        Instrument.objects.filter(organisation=organisation, code=filters.instrument_code)
        .order_by("-version")
        .first()
    )
    if instrument is None:
        return []
    measures = list(Measure.objects.filter(instrument=instrument))
    base = _answers(organisation, filters)
    later = base.filter(response__wave=filters.wave_to)
    if filters.period_from:
        later = later.filter(response__answered_on__gte=filters.period_from)
    if filters.period_to:
        later = later.filter(response__answered_on__lte=filters.period_to)
    rows = []
    for measure in measures:
        question = base.filter(question_code=measure.question_code)
        first = question.filter(response__wave=filters.wave_from).values("response__person_key")
        second = later.filter(question_code=measure.question_code).values("response__person_key")
        paired = question.filter(
            response__wave__in=[filters.wave_from, filters.wave_to],
            response__person_key__in=first,
        ).filter(response__person_key__in=second)
        if filters.period_from or filters.period_to:
            paired = paired.filter(
                Q(response__wave=filters.wave_from)
                | Q(pk__in=later.filter(question_code=measure.question_code).values("pk"))
            )
        counts = paired.aggregate(
            n=Count(
                "response__person_key", filter=Q(response__wave=filters.wave_from), distinct=True
            ),
            before=Count(
                "response__person_key",
                distinct=True,
                filter=Q(response__wave=filters.wave_from, value__in=measure.values),
            ),
            after=Count(
                "response__person_key",
                distinct=True,
                filter=Q(response__wave=filters.wave_to, value__in=measure.values),
            ),
        )
        row = Row(code=measure.code, label=measure.label, n=counts["n"], counts=counts)
        if row.n < organisation.min_cell_size:
            row.suppressed = True
        else:
            row.before = round(100 * counts["before"] / row.n)
            row.after = round(100 * counts["after"] / row.n)
            row.change = row.after - row.before
        rows.append(row)
    return rows


def _median(values_queryset, field_name: str) -> float | None:
    """The median of a column, found by the database (count, then the middle one or two)."""
    ordered = values_queryset.order_by(field_name).values_list(field_name, flat=True)
    n = ordered.count()
    if n == 0:
        return None
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    days = [value.days if isinstance(value, datetime.timedelta) else value for value in middle]
    return sum(days) / len(days)


def programme_figures(organisation: Organisation, filters: Filters) -> dict:
    """Referrals by source and month, time to partner first contact, starts, completion,
    attrition by programme week, attendance rate, overdue check-ins."""
    today = timezone.localdate()
    referrals = Referral.objects.filter(organisation=organisation)
    if filters.period_from:
        referrals = referrals.filter(received_on__gte=filters.period_from)
    if filters.period_to:
        referrals = referrals.filter(received_on__lte=filters.period_to)
    if filters.source_id:
        referrals = referrals.filter(source_id=filters.source_id)
    sources = {s.pk: s.label for s in ReferralSource.objects.filter(organisation=organisation)}
    by_source = [
        {"source": sources.get(row["source_id"], "?"), "count": row["count"]}
        for row in referrals.values("source_id").annotate(count=Count("pk")).order_by("-count")
    ]
    by_month = [
        {"month": row["month"].strftime("%Y-%m"), "count": row["count"]}
        for row in referrals.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    ]

    men = organisation_men(organisation, filters)
    first_reached = (
        ContactAttempt.objects.filter(
            partner=OuterRef("pk"), outcome=ContactAttempt.Outcome.REACHED
        )
        .order_by("at")
        .values("at")[:1]
    )
    first_referral = (
        Referral.objects.filter(participant=OuterRef("participant"))
        .order_by("received_on")
        .values("received_on")[:1]
    )
    partners = Partner.objects.filter(organisation=organisation, participant__in=men)
    contacted = partners.annotate(
        reached=Subquery(first_reached), referred=Subquery(first_referral)
    ).filter(reached__isnull=False)
    # Days from his referral to the first conversation with her, computed by the database.
    delays = contacted.annotate(
        delay=ExpressionWrapper(TruncDate("reached") - F("referred"), output_field=DurationField())
    )
    median = _median(delays, "delay")
    median_days = None if median is None else median

    starts = (
        Enrolment.objects.filter(organisation=organisation, participant__in=men, prior_sessions=0)
        .values("participant")
        .distinct()
        .count()
    )
    ended = men.filter(status__in=CLOSED_STATUSES, enrolments__isnull=False).distinct()
    completed = ended.filter(status=Status.COMPLETED).count()
    ended_count = ended.count()
    held = (
        Attendance.objects.filter(participant=OuterRef("pk"))
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    attrition = [
        {"week": row["weeks"] or 0, "count": row["count"]}
        for row in men.filter(status__in=EXITED_EARLY, enrolments__isnull=False)
        .distinct()
        .annotate(weeks=Subquery(held))
        .values("weeks")
        .annotate(count=Count("pk", distinct=True))
        .order_by("weeks")
    ]
    marks = Attendance.objects.filter(organisation=organisation, participant__in=men).aggregate(
        total=Count("pk"), attended=Count("pk", filter=Q(outcome__in=Attendance.ATTENDED))
    )
    last_due = (
        CheckIn.objects.filter(partner=OuterRef("pk")).order_by("-on", "-pk").values("next_due")[:1]
    )
    overdue = (
        Partner.objects.filter(organisation=organisation, state=Partner.State.ENGAGED)
        .annotate(due=Subquery(last_due))
        .filter(Q(due__lt=today) | Q(due__isnull=True))
        .count()
    )
    return {
        "referrals_by_source": by_source,
        "referrals_by_month": by_month,
        "median_days_to_first_contact": median_days,
        "partners_contacted": contacted.count(),
        "starts": starts,
        "completed": completed,
        "ended": ended_count,
        "completion_rate": round(100 * completed / ended_count) if ended_count else None,
        "attrition_by_week": attrition,
        "attendance_rate": round(100 * marks["attended"] / marks["total"])
        if marks["total"]
        else None,
        "overdue_checkins": overdue,
    }


def organisation_men(organisation: Organisation, filters: Filters):
    from participants.models import Participant

    men = Participant.objects.filter(organisation=organisation)
    if filters.group_id:
        men = men.filter(enrolments__group_id=filters.group_id)
    if filters.source_id:
        men = men.filter(referrals__source_id=filters.source_id)
    return men.distinct()


def as_dict(rows: list[Row]) -> list[dict]:
    return [asdict(row) for row in rows]
