"""Reads of the group programme that pages share: the register, a man's progress, figures."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dvpp.models import User
from participants.models import Participant

from .models import Attendance, Enrolment, Group, Programme, Session
from .services import journey_sessions, session_keys


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


def sessions_this_week(user: User, today: datetime.date | None = None) -> dict[str, list]:
    """The sessions a facilitator runs today and in the rest of this week (Monday to Sunday)."""
    today = today or timezone.localdate()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    sessions = (
        Session.objects.filter(
            group__organisation_id=user.organisation_id,
            date__gte=today,
            date__lte=week_end,
        )
        .filter(Q(group__facilitator=user) | Q(group__co_facilitator=user))
        .select_related("group", "theme")
        .order_by("date", "start_time")
    )
    result: dict[str, list] = {"today": [], "later": []}
    for session in sessions:
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
        participant.enrolments.select_related("group__programme", "first_session").order_by(
            "created_at"
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
    return {
        "programme": programme,
        "deadline": completion_deadline(participant, programme),
        "last_attended": max((s.date for s in attended), default=None),
        "restarts": [e.ended_on - datetime.timedelta(days=1) for e in restarted],
        "held": len(held),
        "attended": len(attended),
        "rate": round(100 * len(attended) / len(held)) if held else None,
        "remaining": upcoming if current else 0,
        "missed_core": missed_core,
        "themes_had": sorted(themes_had),
        "current": current,
        "enrolments": enrolments,
        "marks": [(s, marks.get(s.pk)) for s in earlier + held],
    }


def group_attendance_rate(group: Group) -> int | None:
    """Share of marks on the group's held sessions that are attendances, in per cent."""
    totals = Attendance.objects.filter(session__group=group).aggregate(
        total=Count("pk"), attended=Count("pk", filter=Q(outcome__in=Attendance.ATTENDED))
    )
    if not totals["total"]:
        return None
    return round(100 * totals["attended"] / totals["total"])
