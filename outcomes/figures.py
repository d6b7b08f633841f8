"""The figures managers report, computed in the database: a fixed number of queries however
many responses, referrals or marks there are.

The paired before/after table follows the research this programme is judged by: for each
measure, among the people who answered the question at both waves, the share at the first wave
and at the second, with n. A row about fewer people than the organisation's minimum cell size is
suppressed, so nobody can be recognised.
"""

import datetime
from dataclasses import asdict, dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.models import Organisation
from participants.models import CLOSED_STATUSES, Referral, ReferralSource, Status
from partners.models import CheckIn, ContactAttempt, Partner
from sessions.models import Attendance, Enrolment
from sessions.selectors import attendance_figure

from . import display
from .models import Instrument, Measure, Wave
from .stats import paired_difference

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


def wave_order_error(wave_from: str, wave_to: str) -> str | None:
    """Why a before/after pair of waves cannot be compared, or None when it can: the before wave
    must come before the after wave (baseline, mid-point, exit, follow-up), or the table would
    read a change backwards (exit → baseline shows harm going up as the programme works)."""
    order = list(Wave.values)
    if wave_from not in order or wave_to not in order:
        return _("Choose a before wave and an after wave from the list.")
    if order.index(wave_from) >= order.index(wave_to):
        return _(
            "The before wave (%(before)s) must come before the after wave (%(after)s): "
            "baseline, then mid-point, then exit, then follow-up."
        ) % {"before": Wave(wave_from).label, "after": Wave(wave_to).label}
    return None


@dataclass
class Row:
    code: str
    label: str
    n: int | None
    before: int | None = None  # per cent
    after: int | None = None
    change: int | None = None
    # The change's 95% interval in percentage points (Newcombe's paired interval, see
    # evidence.stats.paired_difference): the same people at both waves.
    change_low: int | None = None
    change_high: int | None = None
    suppressed: bool = False
    counts: dict = field(default_factory=dict)

    def change_interval(self) -> str:
        """The change's interval as the page shows it, "−68 to −48"."""
        return display.points_interval(self.change_low, self.change_high)


def _paired_counts(
    organisation_id: int, filters: Filters, measures: list[Measure]
) -> dict[int, tuple[int, int, int, int]]:
    """For each measure, (n, yes before, yes after, yes at both) among the people who answered
    its question at both waves.

    One indexed self-join for the whole survey (a person has at most one response per survey
    and wave), grouped by question and the two answers; each measure's figures are then sums
    over a handful of groups, not a query of its own."""
    questions = sorted({measure.question_code for measure in measures})
    if not questions:
        return {}
    marks = ", ".join(["%s"] * len(questions))
    sql = [
        f"""SELECT a.question_code, a.value, b.value, COUNT(*)
        FROM outcomes_answer a
        JOIN outcomes_response ra ON ra.id = a.response_id
        JOIN outcomes_response rb ON rb.organisation_id = ra.organisation_id
             AND rb.instrument_code = ra.instrument_code AND rb.person_key = ra.person_key
        JOIN outcomes_answer b ON b.response_id = rb.id AND b.question_code = a.question_code
        WHERE ra.organisation_id = %s AND ra.instrument_code = %s AND a.question_code IN ({marks})
          AND ra.wave = %s AND rb.wave = %s"""  # noqa: S608 - placeholders only
    ]
    params: list = [
        organisation_id,
        filters.instrument_code,
        *questions,
        filters.wave_from,
        filters.wave_to,
    ]
    if filters.period_from:
        sql.append("AND rb.answered_on >= %s")
        params.append(filters.period_from)
    if filters.period_to:
        sql.append("AND rb.answered_on <= %s")
        params.append(filters.period_to)
    if filters.group_id:
        sql.append(
            "AND ra.participant_id IN (SELECT participant_id FROM "
            "group_sessions_enrolment WHERE group_id = %s)"
        )
        params.append(filters.group_id)
    if filters.source_id:
        sql.append(
            "AND ra.participant_id IN (SELECT participant_id FROM "
            "participants_referral WHERE source_id = %s)"
        )
        params.append(filters.source_id)
    sql.append("GROUP BY a.question_code, a.value, b.value")
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql), params)
        groups = cursor.fetchall()
    counts = {}
    for measure in measures:
        values = {str(value) for value in measure.values} or {""}
        n = before = after = both = 0
        for question, value_before, value_after, number in groups:
            if question == measure.question_code:
                n += number
                before += number if value_before in values else 0
                after += number if value_after in values else 0
                both += number if value_before in values and value_after in values else 0
        counts[measure.pk] = (n, before, after, both)
    return counts


def _parents(filters: Filters) -> list[Filters]:
    """The same table with one filter fewer: a filtered figure that differs from one of these by
    fewer than the minimum number of people would reveal them by subtraction."""
    parents = []
    if filters.period_from or filters.period_to:
        parents.append(replace(filters, period_from=None, period_to=None))
    if filters.group_id:
        parents.append(replace(filters, group_id=None))
    if filters.source_id:
        parents.append(replace(filters, source_id=None))
    return parents


def paired_table(organisation: Organisation, filters: Filters) -> list[Row]:
    """One row per measure of the survey: n, % before, % after, change (percentage points).

    A row is suppressed when it is about fewer people than the organisation's minimum, or when
    it differs from the same row with one filter removed by fewer than that minimum (so two
    published figures cannot be subtracted to single someone out)."""
    error = wave_order_error(filters.wave_from, filters.wave_to)
    if error:
        raise ValidationError(error)
    instrument = (
        Instrument.objects.filter(organisation=organisation, code=filters.instrument_code)
        .order_by("-version")
        .first()
    )
    if instrument is None:
        return []
    minimum = organisation.min_cell_size
    measures = list(Measure.objects.filter(instrument=instrument))
    counts = _paired_counts(organisation.pk, filters, measures)
    parents = [_paired_counts(organisation.pk, parent, measures) for parent in _parents(filters)]
    rows = []
    for measure in measures:
        n, before, after, both = counts[measure.pk]
        row = Row(
            code=measure.code,
            label=measure.label,
            n=n,
            counts={"n": n, "before": before, "after": after},
        )
        differences = [parent[measure.pk][0] - n for parent in parents]
        if n < minimum or any(0 < difference < minimum for difference in differences):
            row.suppressed = True
            row.n = None
            row.counts = {}
        else:
            row.before = round(100 * before / n)
            row.after = round(100 * after / n)
            row.change = row.after - row.before
            interval = paired_difference(
                both, before - both, after - both, n - before - after + both
            )
            row.change_low = round(100 * interval.low)
            row.change_high = round(100 * interval.high)
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
    monthly = {
        row["month"]: row["count"]
        for row in referrals.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    }
    by_month = [
        {"month": month.strftime("%Y-%m"), "count": monthly.get(month, 0)}
        for month in every_month(monthly, filters.period_from, filters.period_to, today)
    ]

    men = organisation_men(organisation, filters)
    first_reached = (
        ContactAttempt.objects.filter(
            partner=OuterRef("pk"), outcome=ContactAttempt.Outcome.REACHED
        )
        .order_by("at")
        .values("at")[:1]
    )
    # Partner figures are for the whole organisation only, never cut by a filter on the men,
    # and hidden below the minimum: they are about women who must not be singled out.
    partners = Partner.objects.filter(organisation=organisation)
    contacted = partners.annotate(reached=Subquery(first_reached)).filter(reached__isnull=False)
    # Days from the day she was passed to partner support (partners.selectors' definition of
    # time to first contact) to the first conversation with her, computed by the database.
    delays = contacted.annotate(
        delay=ExpressionWrapper(
            TruncDate("reached") - F("referred_on"), output_field=DurationField()
        )
    )
    contacted_count = contacted.count()
    median_days = _median(delays, "delay")
    if contacted_count < organisation.min_cell_size:
        contacted_count, median_days = None, None

    starts = (
        Enrolment.objects.filter(organisation=organisation, participant__in=men, prior_sessions=0)
        .values("participant")
        .distinct()
        .count()
    )
    # "Was ever in a group" as a semi-join on his own enrolments (by their participant index),
    # not a join with every enrolment of the installation.
    enrolled = Exists(
        Enrolment.objects.filter(organisation=organisation, participant=OuterRef("pk"))
    )
    ended = men.filter(enrolled, status__in=CLOSED_STATUSES)
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
        for row in men.filter(enrolled, status__in=EXITED_EARLY)
        .annotate(weeks=Subquery(held))
        .values("weeks")
        .annotate(count=Count("pk", distinct=True))
        .order_by("weeks")
    ]
    # The one definition of the attendance rate (sessions.selectors.attendance_figure), over the
    # places in the chosen group (or every group), of the men the filters keep, within the period.
    places = Enrolment.objects.filter(organisation=organisation, participant__in=men)
    if filters.group_id:
        places = places.filter(group_id=filters.group_id)
    attendance = attendance_figure(
        places, today=today, date_from=filters.period_from, date_to=filters.period_to
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
        "partners_contacted": contacted_count,
        "starts": starts,
        "completed": completed,
        "ended": ended_count,
        "completion_rate": round(100 * completed / ended_count) if ended_count else None,
        "attrition_by_week": attrition,
        "attendance_rate": attendance.rate,
        "sessions_attended": attendance.attended,
        "sessions_expected": attendance.expected,
        "overdue_checkins": overdue,
    }


def every_month(
    counted: dict[datetime.date, int],
    period_from: datetime.date | None,
    period_to: datetime.date | None,
    today: datetime.date,
) -> list[datetime.date]:
    """The first day of every month of the period, so that a chart shows a month with nothing
    at zero instead of leaving it out: the chosen period's months, or from the first month
    with a figure to this month."""
    if period_from is None and not counted:
        return []
    first = (period_from or min(counted)).replace(day=1)
    last = (period_to or max([today, *counted])).replace(day=1)
    months = []
    while first <= last:
        months.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months


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
