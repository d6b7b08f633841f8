"""Reads of the group programme: the register, places and schedules, a man's progress and
whether it meets the completion rule, attendance figures. Nothing here writes; the writes in
:mod:`sessions.services` read through these."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone

from dvpp.calendar import OrganisationCalendar
from dvpp.models import Organisation, User
from participants.models import CLOSED_STATUSES, Participant

from .models import Attendance, Enrolment, Group, Programme, Session
from .schedule import journey_sessions, session_keys


def closures(organisation: Organisation) -> OrganisationCalendar:
    """The days the organisation is closed: ``day in closures(organisation)``."""
    return OrganisationCalendar(organisation)


@dataclass
class RegisterRow:
    participant: Participant
    enrolment: Enrolment
    mark: Attendance | None


def register(session: Session) -> list[RegisterRow]:
    """Every man on a session's register, with his mark if he has one: a fixed number of
    queries however many men there are."""
    group = session.group
    # A cancelled session keeps the register it had (its men get the cancellation notice).
    group_sessions = list(
        group.sessions.filter(Q(status=Session.Status.SCHEDULED) | Q(pk=session.pk)).order_by(
            "date", "start_time"
        )
    )
    enrolments = (
        Enrolment.objects.filter(group=group)
        .exclude(state__in=Enrolment.ENDED_EARLY, ended_on__lte=session.date)
        .select_related("participant", "first_session", "group__programme")
    )
    marks = {mark.participant_id: mark for mark in Attendance.objects.filter(session=session)}
    keys = session_keys(group_sessions)
    rows = [
        RegisterRow(enrolment.participant, enrolment, marks.get(enrolment.participant_id))
        for enrolment in enrolments
        if session in journey_sessions(enrolment, group_sessions, keys)
    ]
    return sorted(rows, key=lambda row: (row.participant.last_name, row.participant.first_name))


@dataclass(frozen=True)
class RegisterCount:
    """How many of the men on a register are marked ("8 of 12 marked")."""

    marked: int
    total: int

    @property
    def unmarked(self) -> int:
        return self.total - self.marked


def register_count(rows: list[RegisterRow]) -> RegisterCount:
    """The count a register shows above its rows, from those very rows."""
    return RegisterCount(marked=sum(1 for row in rows if row.mark is not None), total=len(rows))


def enrolment_for_session(participant: Participant, session: Session) -> Enrolment | None:
    """His place in the session's group that covers the session, if any."""
    group_sessions = list(
        session.group.sessions.filter(status=Session.Status.SCHEDULED).order_by(
            "date", "start_time"
        )
    )
    for enrolment in participant.enrolments.filter(group=session.group).select_related(
        "first_session", "group__programme"
    ):
        if enrolment.state in Enrolment.ENDED_EARLY and enrolment.ended_on <= session.date:
            continue
        if session in journey_sessions(enrolment, group_sessions):
            return enrolment
    return None


def active_place_count(group: Group) -> int:
    """How many of the group's places are taken now (its capacity counts these)."""
    return group.enrolments.filter(state=Enrolment.State.ACTIVE).count()


def next_session(group: Group, *, on_or_after: datetime.date) -> Session | None:
    """The group's next session, not cancelled, from a date."""
    return (
        group.sessions.filter(status=Session.Status.SCHEDULED, date__gte=on_or_after)
        .order_by("date", "start_time")
        .first()
    )


def sessions_had(enrolment: Enrolment, *, until: datetime.date) -> int:
    """Sessions of his journey in this group held before a date (cancelled ones do not count)."""
    return enrolment.group.sessions.filter(
        status=Session.Status.SCHEDULED,
        date__gte=enrolment.first_session.date,
        date__lt=until,
    ).count()


def groups_for_user(user: User) -> QuerySet[Group]:
    """The organisation's current groups with their filled places and next session date."""
    today = timezone.localdate()
    places = (
        Enrolment.objects.filter(group=OuterRef("pk"), state=Enrolment.State.ACTIVE)
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    next_date = (
        Session.objects.filter(
            group=OuterRef("pk"), status=Session.Status.SCHEDULED, date__gte=today
        )
        .order_by("date")
        .values("date")[:1]
    )
    return (
        Group.objects.for_user(user)
        .filter(is_archived=False)
        .select_related("programme", "facilitator", "co_facilitator")
        .annotate(
            active_places=Coalesce(Subquery(places), 0),
            next_date=Subquery(next_date),
        )
    )


def _facilitator_sessions(user: User, first: datetime.date, last: datetime.date) -> QuerySet:
    return (
        Session.objects.filter(
            group__organisation_id=user.organisation_id, date__gte=first, date__lte=last
        )
        .filter(Q(group__facilitator=user) | Q(group__co_facilitator=user))
        .select_related("group", "theme")
        .order_by("date", "start_time", "pk")
    )


def sessions_today(user: User, today: datetime.date | None = None) -> QuerySet[Session]:
    """The sessions a facilitator runs today: the first part of "My sessions this week", and
    his home card."""
    today = today or timezone.localdate()
    return _facilitator_sessions(user, today, today)


def sessions_this_week(user: User, today: datetime.date | None = None) -> dict[str, list]:
    """The sessions a facilitator runs today and in the rest of this week (Monday to Sunday)."""
    today = today or timezone.localdate()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    # One query for the week; its "today" rows are those of sessions_today (the same filter).
    result: dict[str, list] = {"today": [], "later": []}
    for session in _facilitator_sessions(user, today, week_end):
        result["today" if session.date == today else "later"].append(session)
    return result


def completion_deadline(participant: Participant, programme: Programme) -> datetime.date | None:
    """The day by which he must complete a programme with a deadline: its number of days from
    the day his latest referral was made (for a police caution, the day of the caution)."""
    if programme.complete_within_days is None:
        return None
    made_on = (
        participant.referrals.order_by("-made_on", "-pk").values_list("made_on", flat=True).first()
    )
    if made_on is None:
        return None
    return made_on + datetime.timedelta(days=programme.complete_within_days)


def man_progress(participant: Participant) -> dict[str, Any]:
    """His programme so far, across every group he has been in: sessions held, attended,
    the attendance rate, sessions remaining, themes had and core themes missed.

    Where a missed session made him start again, the figures count only the sessions since his
    last restart; ``marks`` keeps every session he had, and ``restarts`` the dates he missed."""
    today = timezone.localdate()
    enrolments = list(
        with_attendance(
            participant.enrolments.select_related("group__programme", "first_session").order_by(
                "created_at"
            ),
            today=today,
        )
    )
    if not enrolments:
        return {
            "programme": None,
            "deadline": None,
            "last_attended": None,
            "restarts": [],
            "held": 0,
            "attended": 0,
            "rate": None,
            "attendance": AttendanceFigure(),
            "remaining": None,
            "missed_core": [],
            "themes_had": [],
            "current": None,
            "enrolments": [],
            "marks": [],
        }
    programme = enrolments[-1].group.programme
    group_ids = {e.group_id for e in enrolments}
    all_sessions = list(
        Session.objects.filter(group_id__in=group_ids, status=Session.Status.SCHEDULED)
        .select_related("theme")
        .order_by("date", "start_time")
    )
    marks = {mark.session_id: mark for mark in Attendance.objects.filter(participant=participant)}
    restarted = [e for e in enrolments if e.state == Enrolment.State.RESTARTED]
    counted_from = enrolments.index(restarted[-1]) + 1 if restarted else 0
    earlier: list[Session] = []  # held in places he had to start again after
    held: list[Session] = []
    upcoming = 0
    for index, enrolment in enumerate(enrolments):
        group_sessions = [s for s in all_sessions if s.group_id == enrolment.group_id]
        for session in journey_sessions(enrolment, group_sessions):
            if enrolment.ended_on and session.date >= enrolment.ended_on:
                continue
            if session.date < today or session.pk in marks:
                (held if index >= counted_from else earlier).append(session)
            elif enrolment.state == Enrolment.State.ACTIVE:
                upcoming += 1
    attended = [s for s in held if s.pk in marks and marks[s.pk].attended]
    themes_had = {s.theme.number for s in attended}
    missed_core = sorted(
        {s.theme for s in held if s.theme.is_core and s.theme.number not in themes_had},
        key=lambda theme: theme.number,
    )
    current = next((e for e in enrolments if e.state == Enrolment.State.ACTIVE), None)
    attendance = sum((place_attendance(e) for e in enrolments), AttendanceFigure())
    return {
        "programme": programme,
        "deadline": completion_deadline(participant, programme),
        "last_attended": max((s.date for s in attended), default=None),
        "restarts": [e.ended_on - datetime.timedelta(days=1) for e in restarted],
        "held": len(held),
        "attended": len(attended),
        # The rate is the organisation's one definition, over every place he had (see
        # attendance_figure); ``held`` and ``attended`` count since his last restart.
        "rate": attendance.rate,
        "attendance": attendance,
        "remaining": upcoming if current else 0,
        "missed_core": missed_core,
        "themes_had": sorted(themes_had),
        "current": current,
        "enrolments": enrolments,
        "marks": [(s, marks.get(s.pk)) for s in earlier + held],
    }


def completion_check(participant: Participant) -> dict[str, Any]:
    """Whether his attendance meets the programme's completion rule: enough sessions attended,
    every core theme had and, where the programme sets a deadline, all of it by the deadline."""
    progress = man_progress(participant)
    programme = progress["programme"]
    deadline = progress["deadline"]
    late = bool(deadline and progress["last_attended"] and progress["last_attended"] > deadline)
    meets = bool(
        programme
        and progress["attended"] >= programme.completion_min_sessions
        and not progress["missed_core"]
        and not late
    )
    return {**progress, "meets_rule": meets, "late": late}


def group_attendance_rate(group: Group) -> int | None:
    """The group's attendance rate in per cent, by the one definition (attendance_figure),
    over every place anyone had in it."""
    return attendance_figure(Enrolment.objects.filter(group=group)).rate


# The attendance rate: one definition for every page and report (the README's "Attendance
# rate"). For each place a man had in a group (an enrolment), the sessions he was expected at
# are his journey's sessions (from his first session, as many as he still needed) that were not
# cancelled, fell before the day his place ended (a move, a restart, finishing), not after the
# day his case closed (an exit or completion), and have taken place: dated before today, or
# today once he is marked. He attended those he was marked present or late at. An authorised
# absence is an expected session not attended; a session whose register was never taken
# counts as not attended. The rate is attended over expected, summed over places, in whole per
# cent; no expected session gives no rate.


@dataclass(frozen=True)
class AttendanceFigure:
    """Sessions attended of the sessions expected, and the rate in per cent (None for none)."""

    attended: int = 0
    expected: int = 0

    @property
    def rate(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None

    def __add__(self, other: "AttendanceFigure") -> "AttendanceFigure":
        return AttendanceFigure(self.attended + other.attended, self.expected + other.expected)


def _count_sessions(*conditions: Q, **lookups) -> Coalesce:
    counted = (
        Session.objects.filter(group=OuterRef("group"), status=Session.Status.SCHEDULED)
        .filter(*conditions, **lookups)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _count_marks(**lookups) -> Coalesce:
    counted = (
        Attendance.objects.filter(
            enrolment=OuterRef("pk"), session__status=Session.Status.SCHEDULED
        )
        .filter(**lookups)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


class LocalDate(TruncDate):
    """The local day of a moment, as TruncDate; on SQLite by its own ``date()`` with the active
    time zone's present offset, since Django's cast there is a Python function that a
    correlated count would call once for every session it looks at. (A moment within an hour of
    midnight in the other half of the year may fall on the neighbouring day there; PostgreSQL,
    what the product runs on, is exact.)"""

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.lhs)
        minutes = round(timezone.localtime().utcoffset().total_seconds() / 60)
        return f"date({sql}, %s)", (*params, f"{minutes:+d} minutes")


def with_attendance(
    enrolments: QuerySet[Enrolment],
    *,
    today: datetime.date | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Enrolment]:
    """The places annotated with what :func:`place_attendance` needs, in the same query as the
    places themselves (a few correlated counts each, by the sessions' and marks' indexes), so a
    page that lists places gets their attendance without a query more. ``date_from`` and
    ``date_to`` keep only sessions dated within them."""
    today = today or timezone.localdate()
    one_day = datetime.timedelta(days=1)
    # Past sessions count before this day; today's once marked.
    stop = min(today, date_to + one_day) if date_to else today
    stop_value = Value(stop, output_field=DateField())
    marks_stop = min(today + one_day, date_to + one_day) if date_to else today + one_day
    marks_stop_value = Value(marks_stop, output_field=DateField())
    first_date, first_time = OuterRef("first_session__date"), OuterRef("first_session__start_time")
    counts_today = (date_from is None or date_from <= today) and (
        date_to is None or today <= date_to
    )
    marks_from = {"session__date__gte": date_from} if date_from else {}
    # The day his case closed (an exit or completion): sessions after it are not his.
    exit_day = Case(
        When(
            participant__status__in=CLOSED_STATUSES,
            then=LocalDate("participant__status_changed_at"),
        ),
        default=Value(datetime.date.max),
        output_field=DateField(),
    )
    return enrolments.annotate(att_exit=exit_day).annotate(
        att_first=_count_sessions(
            Q(date__lt=first_date) | Q(date=first_date, start_time__lt=first_time)
        ),
        att_needed=F("group__programme__session_count") - F("prior_sessions"),
        att_stop=_count_sessions(
            date__lt=Least(Coalesce(OuterRef("ended_on"), stop_value), stop_value),
            date__lte=OuterRef("att_exit"),
        ),
        att_from=_count_sessions(date__lt=date_from) if date_from else Value(0),
        att_today=_count_marks(
            session__date=today,
            session__date__lte=OuterRef("att_exit"),
            session__date__lt=Coalesce(
                OuterRef("ended_on"), Value(today + one_day, output_field=DateField())
            ),
        )
        if counts_today
        else Value(0),
        att_attended=_count_marks(
            outcome__in=Attendance.ATTENDED,
            session__date__lt=Least(
                Coalesce(OuterRef("ended_on"), marks_stop_value), marks_stop_value
            ),
            session__date__lte=OuterRef("att_exit"),
            **marks_from,
        ),
    )


def place_attendance(enrolment: Enrolment) -> AttendanceFigure:
    """One place's attendance, from an enrolment annotated by :func:`with_attendance`."""
    first = enrolment.att_first
    last = first + max(enrolment.att_needed, 0)
    expected = max(0, min(last, enrolment.att_stop) - max(first, enrolment.att_from))
    expected += enrolment.att_today
    return AttendanceFigure(attended=enrolment.att_attended, expected=expected)


def attendance_figure(
    enrolments: QuerySet[Enrolment],
    *,
    today: datetime.date | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> AttendanceFigure:
    """The attendance of a set of places (a group's, a man's, an organisation's): one query."""
    total = AttendanceFigure()
    for enrolment in with_attendance(
        enrolments.order_by().select_related(None),
        today=today,
        date_from=date_from,
        date_to=date_to,
    ).only("pk", "prior_sessions", "ended_on"):
        total += place_attendance(enrolment)
    return total
