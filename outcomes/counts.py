"""The raw counts behind an organisation's figures, by calendar quarter, for the nightly snapshot.

Figures across organisations (the coalition's) cannot be added up from suppressed figures, so
the snapshot also keeps these counts: never a row, a name or free text; only how many. They
leave the organisation only through ``coalition.figures``, which suppresses every cell. Counts
are by calendar quarter so that any whole period can be summed from them.

Shape (JSON)::

    {"quarters": ["2026-Q1", ...],
     "paired": {"<instrument>": {"<measure>": {"<quarter>": [n, before, after]}}},
     "labels": {"<instrument>:<measure>": [English, Russian]},
     "referrals": {"<quarter>": {"<source code>": n}},
     "source_labels": {"<source code>": [English, Russian]},
     "starts": {"<quarter>": n},
     "ended": {"<quarter>": [ended, completed]},
     "attrition": {"<quarter>": {"<sessions attended>": n}},
     "attendance": {"<quarter>": [sessions expected, sessions attended]},
     "first_contact_days": {"<quarter>": {"<days>": n}}}
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from dvpp.models import Organisation

from .models import Instrument, Measure, Wave

EXITED_EARLY = ["withdrawn", "breached", "excluded", "not_engaged", "moved_away"]


def quarter(day: datetime.date | datetime.datetime) -> str:
    if isinstance(day, datetime.datetime):
        day = day.date()
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _paired(organisation: Organisation) -> tuple[dict, dict]:
    """Baseline against exit, per measure and quarter of the exit answer."""
    paired: dict = {}
    labels: dict = {}
    instruments = Instrument.objects.filter(organisation=organisation, is_current=True)
    for measure in Measure.objects.filter(instrument__in=instruments).select_related("instrument"):
        code = measure.instrument.code
        labels[f"{code}:{measure.code}"] = [measure.label_en, measure.label_ru]
        values = {str(value) for value in measure.values}
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT rb.answered_on, a.value, b.value
                FROM outcomes_answer a
                JOIN outcomes_response ra ON ra.id = a.response_id
                JOIN outcomes_response rb ON rb.organisation_id = ra.organisation_id
                     AND rb.instrument_code = ra.instrument_code AND rb.person_key = ra.person_key
                JOIN outcomes_answer b ON b.response_id = rb.id
                     AND b.question_code = a.question_code
                WHERE ra.organisation_id = %s AND ra.instrument_code = %s
                  AND a.question_code = %s AND ra.wave = %s AND rb.wave = %s""",
                [organisation.pk, code, measure.question_code, Wave.BASELINE, Wave.EXIT],
            )
            by_quarter: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
            for answered_on, before, after in cursor.fetchall():
                if isinstance(answered_on, str):  # SQLite
                    answered_on = datetime.date.fromisoformat(answered_on)
                cell = by_quarter[quarter(answered_on)]
                cell[0] += 1
                cell[1] += before in values
                cell[2] += after in values
        paired.setdefault(code, {})[measure.code] = dict(by_quarter)
    return paired, labels


def organisation_counts(organisation: Organisation) -> dict:
    from participants.models import Participant, Referral, ReferralSource, Status
    from partners.models import ContactAttempt, Partner
    from sessions.models import Attendance, Enrolment, Session
    from sessions.selectors import attendance_figure

    paired, labels = _paired(organisation)

    referrals: dict = defaultdict(lambda: defaultdict(int))
    for source, received in Referral.objects.filter(organisation=organisation).values_list(
        "source__code", "received_on"
    ):
        referrals[quarter(received)][source] += 1
    source_labels = {
        code: [en, ru]
        for code, en, ru in ReferralSource.objects.filter(organisation=organisation).values_list(
            "code", "label_en", "label_ru"
        )
    }

    attended = Attendance.objects.filter(
        participant=OuterRef("pk"), outcome__in=Attendance.ATTENDED
    )
    men = Participant.objects.filter(organisation=organisation).annotate(
        started_on=Subquery(attended.order_by("session__date").values("session__date")[:1]),
        sessions_attended=Subquery(
            attended.values("participant").annotate(n=Count("pk")).values("n")
        ),
    )
    starts: dict = defaultdict(int)
    ended: dict = defaultdict(lambda: [0, 0])
    attrition: dict = defaultdict(lambda: defaultdict(int))
    for status, changed_at, started_on, sessions in men.values_list(
        "status", "status_changed_at", "started_on", "sessions_attended"
    ):
        if started_on is None:
            continue
        starts[quarter(started_on)] += 1
        if status == Status.COMPLETED or status in EXITED_EARLY:
            cell = ended[quarter(changed_at)]
            cell[0] += 1
            cell[1] += status == Status.COMPLETED
        if status in EXITED_EARLY:
            attrition[quarter(changed_at)][str(sessions or 0)] += 1

    # The one attendance rate (sessions.selectors.attendance_figure), by the quarter of the
    # session: [sessions expected, sessions attended], one count per quarter that had sessions.
    attendance: dict = {}
    marked = sorted(
        {
            quarter(day)
            for day in Session.objects.filter(
                group__organisation=organisation,
                status=Session.Status.SCHEDULED,
                date__lte=timezone.localdate(),
            )
            .values_list("date", flat=True)
            .distinct()
        }
    )
    places = Enrolment.objects.filter(organisation=organisation)
    for name in marked:
        year, number = int(name[:4]), int(name[-1])
        first = datetime.date(year, 3 * number - 2, 1)
        last = (first + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(days=1)
        figure = attendance_figure(places, date_from=first, date_to=last)
        attendance[name] = [figure.expected, figure.attended]

    # Time to first contact counts from the day she was passed to partner support (the
    # definition in partners.selectors), not from his first referral.
    first_contact: dict = defaultdict(lambda: defaultdict(int))
    for reached, referred in (
        Partner.objects.filter(organisation=organisation)
        .annotate(
            reached=Min("attempts__at", filter=Q(attempts__outcome=ContactAttempt.Outcome.REACHED)),
        )
        .filter(reached__isnull=False)
        .values_list("reached", "referred_on")
    ):
        days = max(0, (reached.date() - referred).days)
        first_contact[quarter(reached)][str(days)] += 1

    quarters = sorted(
        {
            *referrals,
            *starts,
            *ended,
            *attendance,
            *first_contact,
            *(q for measures in paired.values() for cells in measures.values() for q in cells),
        }
    )
    return {
        "quarters": quarters,
        "paired": paired,
        "labels": labels,
        "referrals": {q: dict(v) for q, v in referrals.items()},
        "source_labels": source_labels,
        "starts": dict(starts),
        "ended": dict(ended),
        "attrition": {q: dict(v) for q, v in attrition.items()},
        "attendance": attendance,
        "first_contact_days": {q: dict(v) for q, v in first_contact.items()},
    }
