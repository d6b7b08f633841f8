"""Writes on the group programme: schedules, cancellations and moves, enrolment, the register,
and the rules that attendance sets off (compliance review, starting again after a missed
session, completion, the deadline to complete by)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dvpp import hooks
from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Organisation, User
from participants import services as case_services
from participants.models import SYSTEM_REASONS, CaseTask, Participant, Referral, Status

from .models import Attendance, Enrolment, Group, Programme, Session, Theme
from .schedule import journey_sessions, next_slots
from .selectors import (
    active_place_count,
    closures,
    completion_check,
    completion_deadline,
    enrolment_for_session,
    next_session,
    register,
    sessions_had,
)

Action = AuditEvent.Action

# --- schedules ---------------------------------------------------------------------------------


def _themes(programme: Programme) -> list[Theme]:
    themes = list(programme.themes.order_by("number"))
    if len(themes) != programme.session_count:
        raise ValidationError(
            _(
                "The programme has %(themes)s themes for %(sessions)s sessions: add the missing themes."  # noqa: E501
            )
            % {"themes": len(themes), "sessions": programme.session_count}
        )
    return themes


def _check_facilitators_free(group: Group, sessions: Iterable[Session]) -> None:
    """Refuse sessions that would put a facilitator in two groups at the same time."""
    sessions = list(sessions)
    people = {group.facilitator_id, group.co_facilitator_id} - {None}
    others = (
        Session.objects.filter(
            Q(group__facilitator_id__in=people) | Q(group__co_facilitator_id__in=people),
            date__in={session.date for session in sessions},
            status=Session.Status.SCHEDULED,
        )
        .exclude(group=group)
        .exclude(pk__in=[s.pk for s in sessions if s.pk])
    )
    by_date: dict[datetime.date, list[Session]] = {}
    for other in others.select_related("group"):
        by_date.setdefault(other.date, []).append(other)

    def span(session):
        start = datetime.datetime.combine(session.date, session.start_time)
        return start, start + datetime.timedelta(minutes=session.duration_minutes)

    for session in sessions:
        start, end = span(session)
        for other in by_date.get(session.date, []):
            other_start, other_end = span(other)
            if start < other_end and other_start < end:
                raise ValidationError(
                    _(
                        "On %(date)s a facilitator of this group already runs “%(other)s” at "
                        "%(time)s."
                    )
                    % {
                        "date": session.date.strftime("%d.%m.%Y"),
                        "other": other.group.name,
                        "time": other.start_time.strftime("%H:%M"),
                    }
                )


def _append_cycle(group: Group, *, skip: set[datetime.date]) -> list[Session]:
    """Add one more run of every theme after the group's last session."""
    themes = _themes(group.programme)
    last = group.sessions.filter(status=Session.Status.SCHEDULED).order_by("-date").first()
    if last is None:
        first_day = group.start_date
        while first_day in skip:
            first_day += datetime.timedelta(days=group.programme.interval_days)
        dates = [
            first_day,
            *next_slots(
                first_day, interval=group.programme.interval_days, skip=skip, count=len(themes) - 1
            ),
        ]
        cycle = 1
    else:
        dates = next_slots(
            last.date, interval=group.programme.interval_days, skip=skip, count=len(themes)
        )
        cycle = last.cycle + 1
    sessions = [
        Session(
            group=group,
            theme=theme,
            cycle=cycle,
            date=day,
            start_time=group.start_time,
            duration_minutes=group.duration_minutes,
        )
        for theme, day in zip(themes, dates, strict=True)
    ]
    _check_facilitators_free(group, sessions)
    return Session.objects.bulk_create(sessions)


@transaction.atomic
def group_create(*, organisation: Organisation, by: User, data: dict[str, Any]) -> Group:
    """Create a group and its dated sessions: one per theme, an interval apart, on open days.

    Refused when a facilitator would run two groups at once or the programme's curriculum is
    incomplete.
    """
    group = Group(organisation=organisation, **data)
    group.full_clean()
    group.save()
    _append_cycle(group, skip=closures(organisation))
    audit_change(Action.CREATE, group, by=by, what="group and its schedule")
    return group


def _ensure_sessions(group: Group, *, after: Session, needed: int) -> None:
    """Make sure the schedule holds ``needed`` sessions from ``after`` on (rolling groups run on
    into further cycles)."""
    skip = closures(group.organisation)
    while (
        group.sessions.filter(status=Session.Status.SCHEDULED, date__gte=after.date).count()
        < needed
    ):
        _append_cycle(group, skip=skip)


@transaction.atomic
def session_cancel(*, session: Session, by: User, reason: str) -> Session:
    """Cancel a session. Its theme moves to the next session date and every later theme moves one
    session on, so a man still receives every theme; the schedule gains one date at its end."""
    reason = reason.strip()
    session = (
        Session.objects.select_for_update().select_related("group__programme").get(pk=session.pk)
    )
    if session.is_cancelled:
        raise ValidationError(_("This session is already cancelled."))
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    if session.attendance.exists():
        raise ValidationError(_("The register of this session has marks: it cannot be cancelled."))
    group = session.group
    later = list(
        group.sessions.filter(status=Session.Status.SCHEDULED, date__gt=session.date)
        .order_by("date", "start_time")
        .select_for_update()
    )
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.save(update_fields=["status", "cancel_reason"])
    # The replacement keeps the cancelled session's theme; each later session hands its date to
    # the session before it, and the last one takes a new date at the end.
    last_date = later[-1].date if later else session.date
    new_end = next_slots(
        last_date,
        interval=group.programme.interval_days,
        skip=closures(group.organisation),
        count=1,
    )[0]
    dates = [s.date for s in later] + [new_end]
    replacement = Session(
        group=group,
        theme=session.theme,
        cycle=session.cycle,
        date=dates[0],
        start_time=group.start_time,
        duration_minutes=group.duration_minutes,
    )
    for moved, day in zip(later, dates[1:], strict=True):
        moved.date = day
        moved.start_time = group.start_time
    Session.objects.bulk_update(later, ["date", "start_time"])
    replacement.save()
    _check_facilitators_free(group, [replacement, *later])
    from .reminders import session_cancelled

    session_cancelled(session)  # notices to the men, queued in the outbox with this change
    audit_change(
        Action.CHANGE,
        session,
        by=by,
        what=f"cancelled; theme moved to session {replacement.public_id}",
        organisation_id=group.organisation_id,
    )
    return replacement


@transaction.atomic
def session_move(
    *, session: Session, by: User, date: datetime.date, start_time: datetime.time, reason: str
) -> Session:
    """Move one session to another date or time; the rest of the schedule stays."""
    reason = reason.strip()
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session cannot be moved."))
    if not reason:
        raise ValidationError({"reason": _("Say why the session is moved.")})
    if session.attendance.exists():
        raise ValidationError(_("The register of this session has marks: it cannot be moved."))
    if date in closures(session.group.organisation):
        raise ValidationError({"date": _("The organisation is closed on that day.")})
    before = f"{session.date:%Y-%m-%d} {session.start_time:%H:%M}"
    if session.moved_from is None:
        session.moved_from = session.date
    session.date, session.start_time, session.move_reason = date, start_time, reason
    _check_facilitators_free(session.group, [session])
    session.save(update_fields=["date", "start_time", "moved_from", "move_reason"])
    from .reminders import session_moved

    session_moved(session)
    audit_change(
        Action.CHANGE,
        session,
        by=by,
        what=f"moved: {before}→{date:%Y-%m-%d} {start_time:%H:%M}",
        organisation_id=session.group.organisation_id,
    )
    return session


# --- enrolment ---------------------------------------------------------------------------------


@transaction.atomic
def enrolment_allocate(
    *, participant: Participant, group: Group, by: User, first_session: Session | None = None
) -> Enrolment:
    """Allocate a man from the waiting list to a group.

    The group's capacity is enforced (under a lock, so two allocations at once cannot both take
    the last place). In a rolling group he starts at the next session and does every theme from
    there, into the next cycle; in a closed group only before the first session.
    """
    group = Group.objects.select_for_update().select_related("programme").get(pk=group.pk)
    if participant.organisation_id != group.organisation_id:
        raise ValidationError(_("This man belongs to another organisation."))
    if participant.status != Status.WAITING_LIST:
        raise ValidationError(_("Only a man on the waiting list can be allocated to a group."))
    if active_place_count(group) >= group.capacity:
        raise ValidationError(
            _("%(group)s is full (%(capacity)s places).")
            % {"group": group.name, "capacity": group.capacity}
        )
    today = timezone.localdate()
    if first_session is None:
        first_session = next_session(group, on_or_after=today)
    if first_session is None or first_session.group_id != group.pk or first_session.is_cancelled:
        raise ValidationError(_("This group has no session left to start at."))
    if group.intake == Group.Intake.CLOSED:
        group_first = group.sessions.filter(status=Session.Status.SCHEDULED).order_by("date")[0]
        if first_session.pk != group_first.pk or group_first.date < today:
            raise ValidationError(_("This group has a closed intake and has already started."))
    _ensure_sessions(group, after=first_session, needed=group.programme.session_count)
    try:
        enrolment = Enrolment.objects.create(
            organisation_id=group.organisation_id,
            participant=participant,
            group=group,
            first_session=first_session,
            created_by=by,
        )
    except IntegrityError:
        raise ValidationError(_("This man already has a place in a group.")) from None
    case_services.participant_change_status(
        participant=participant,
        to_status=Status.ALLOCATED,
        by=by,
        reason=_("Allocated to %(group)s") % {"group": group.name},
    )
    audit_change(Action.CREATE, participant, by=by, what=f"allocated to group {group.public_id}")
    return enrolment


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, to_group: Group, by: User) -> Enrolment:
    """Move a man to another group. His attendance stays with him; the new place counts the
    sessions he already had, so he still receives the programme's full number of sessions."""
    if enrolment.state != Enrolment.State.ACTIVE:
        raise ValidationError(_("Only a current place can be moved."))
    to_group = Group.objects.select_for_update().select_related("programme").get(pk=to_group.pk)
    if to_group.pk == enrolment.group_id:
        raise ValidationError(_("He is already in this group."))
    if to_group.organisation_id != enrolment.organisation_id:
        raise ValidationError(_("Choose one of this organisation's groups."))
    if to_group.programme_id != enrolment.group.programme_id:
        raise ValidationError(_("Choose a group running the same programme."))
    if active_place_count(to_group) >= to_group.capacity:
        raise ValidationError(
            _("%(group)s is full (%(capacity)s places).")
            % {"group": to_group.name, "capacity": to_group.capacity}
        )
    today = timezone.localdate()
    first = next_session(to_group, on_or_after=today)
    if first is None:
        raise ValidationError(_("This group has no session left to start at."))
    done = enrolment.prior_sessions + sessions_had(enrolment, until=today)
    enrolment.state = Enrolment.State.MOVED
    enrolment.ended_on = today
    enrolment.save(update_fields=["state", "ended_on"])
    remaining = max(to_group.programme.session_count - done, 1)
    _ensure_sessions(to_group, after=first, needed=remaining)
    place = Enrolment.objects.create(
        organisation_id=enrolment.organisation_id,
        participant=enrolment.participant,
        group=to_group,
        first_session=first,
        prior_sessions=done,
        created_by=by,
    )
    audit_change(
        Action.CHANGE,
        enrolment.participant,
        by=by,
        what=f"moved to group {to_group.public_id}",
    )
    return place


# --- the register ------------------------------------------------------------------------------


def attendance_mark(
    *,
    session: Session,
    participant: Participant,
    outcome: Attendance.Outcome | str,
    by: User,
    note: str = "",
) -> Attendance:
    """Mark one man on one session's register. Safe to repeat: a second tap updates the same
    mark, and two people marking the same register touch only their own rows.

    Refused on a cancelled session, a session later than today, and for a man who is not on
    this session's register. Then the programme's rules run (see _apply_rules).

    Taps on the same man at the same moment are taken one after the other (his row is locked),
    and the rules read his status as it is then, not as it was when the page was opened: a
    repeated tap is never refused for a move the first tap already made.
    """
    outcome = Attendance.Outcome(outcome)
    _check_register_open(session)
    with transaction.atomic():
        _lock_men(participant)
        enrolment = enrolment_for_session(participant, session)
        if enrolment is None:
            raise ValidationError(_("He is not on the register of this session."))
        return _mark(
            session=session,
            participant=participant,
            enrolment=enrolment,
            outcome=outcome,
            note=note,
            by=by,
        )


def attendance_mark_all_present(*, session: Session, by: User) -> list[Attendance]:
    """Mark present, in one transaction, every man on the register who has no mark yet; each
    mark runs the same rules as a single tap. A man already marked keeps his mark, even one made
    by someone else a moment before. Returns the new marks, in the register's order."""
    _check_register_open(session)
    with transaction.atomic():
        rows = [row for row in register(session) if row.mark is None]
        if not rows:
            return []
        _lock_men(*(row.participant for row in rows))
        # Read again under the lock: a tap that was saved meanwhile stays as it was tapped.
        marked = set(
            Attendance.objects.filter(
                session=session, participant_id__in=[row.participant.pk for row in rows]
            ).values_list("participant_id", flat=True)
        )
        return [
            _mark(
                session=session,
                participant=row.participant,
                enrolment=row.enrolment,
                outcome=Attendance.Outcome.PRESENT,
                note="",
                by=by,
            )
            for row in rows
            if row.participant.pk not in marked
        ]


def attendance_note_save(
    *, session: Session, participant: Participant, note: str, by: User
) -> Attendance:
    """Save the note on his mark by itself (typed after the tap, or changed later): the mark,
    who made it and when stay as they were. Refused while he has no mark on this session; the
    note is then saved with the tap."""
    with transaction.atomic():
        mark = (
            Attendance.objects.select_for_update()
            .filter(session=session, participant=participant)
            .first()
        )
        if mark is None:
            raise ValidationError(_("Not saved yet: tap his mark and the note is saved with it."))
        mark.note = note.strip()
        mark.save(update_fields=["note"])
        audit_change(
            Action.CHANGE,
            participant,
            by=by,
            what=f"attendance note, session {session.public_id}",
        )
    return mark


def _check_register_open(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled: there is no register to mark."))
    if session.date > timezone.localdate():
        raise ValidationError(_("This session has not happened yet: mark it on the day."))


def _lock_men(*men: Participant) -> None:
    """Lock the men's rows until the end of the transaction, in one order (no deadlock between
    two registers marked at once), and refresh the status of each: the caller's copy may be
    older than a tap saved meanwhile, and the rules read it."""
    statuses = dict(
        Participant.objects.select_for_update()
        .filter(pk__in=[man.pk for man in men])
        .order_by("pk")
        .values_list("pk", "status")
    )
    for man in men:
        man.status = statuses[man.pk]


def _mark(
    *,
    session: Session,
    participant: Participant,
    enrolment: Enrolment,
    outcome: Attendance.Outcome,
    note: str,
    by: User,
) -> Attendance:
    """Write one mark and run its rules; the man's row is locked by the caller (_lock_men)."""
    values = {
        "outcome": outcome,
        "note": note.strip(),
        "marked_by": by,
        "marked_at": timezone.now(),
        "enrolment": enrolment,
    }
    try:
        with transaction.atomic():
            mark, _created = Attendance.objects.update_or_create(
                session=session,
                participant=participant,
                defaults=values,
                create_defaults={**values, "organisation_id": session.group.organisation_id},
            )
    except IntegrityError:
        # Two taps at the very same moment (where rows cannot be locked): the other one created
        # the row; update it.
        Attendance.objects.filter(session=session, participant=participant).update(**values)
        mark = Attendance.objects.get(session=session, participant=participant)
    _apply_rules(
        participant=participant, enrolment=enrolment, session=session, outcome=outcome, by=by
    )
    if outcome == Attendance.Outcome.UNAUTHORISED:
        # A missed session is a risk event for his partners (partner support is told, through
        # the hook: this app does not know the partners app).
        hooks.risk_event.call(
            participant=participant, reason="absence", key=f"absence-{session.pk}"
        )
    # One audit row per mark, in the mark's transaction: what the register recorded for him,
    # on which session (the rules it set off are part of the same change).
    audit_change(
        Action.CHANGE,
        participant,
        by=by,
        what=f"attendance: {mark.outcome}, session {session.public_id}",
    )
    return mark


def _apply_rules(
    *,
    participant: Participant,
    enrolment: Enrolment,
    session: Session,
    outcome: Attendance.Outcome,
    by: User,
) -> None:
    programme = enrolment.group.programme
    marks = Attendance.objects.filter(participant=participant)
    # Attending his first session puts an allocated man into the programme.
    if (
        participant.status == Status.ALLOCATED
        and marks.filter(outcome__in=Attendance.ATTENDED).exists()
    ):
        case_services.participant_change_status(
            participant=participant,
            to_status=Status.IN_PROGRAMME,
            by=by,
            reason=SYSTEM_REASONS["Attended his first session"],
        )
    # Unauthorised absences: a compliance review, and for a statutory case the referrer.
    unauthorised = marks.filter(outcome=Attendance.Outcome.UNAUTHORISED).count()
    threshold = programme.absence_review_after
    if unauthorised >= threshold:
        key = f"unauthorised-{unauthorised // threshold * threshold}"
        detail = ngettext(
            "%(count)s unauthorised absence", "%(count)s unauthorised absences", unauthorised
        ) % {"count": unauthorised}
        case_services.case_task_raise(
            participant=participant, kind=CaseTask.Kind.COMPLIANCE_REVIEW, key=key, detail=detail
        )
        if Referral.objects.filter(participant=participant, is_statutory=True).exists():
            case_services.case_task_raise(
                participant=participant, kind=CaseTask.Kind.INFORM_REFERRER, key=key, detail=detail
            )
    # A missed session where the programme says so: he starts again, and nothing more to check.
    if programme.missed_session_restarts and _restart_rule(
        participant=participant, enrolment=enrolment, session=session, outcome=outcome, by=by
    ):
        return
    # His last session: propose completion or non-completion for a facilitator to confirm.
    group_sessions = list(
        enrolment.group.sessions.filter(status=Session.Status.SCHEDULED).order_by(
            "date", "start_time"
        )
    )
    journey = journey_sessions(enrolment, group_sessions)
    if journey and journey[-1].pk == session.pk:
        progress = completion_check(participant)
        kind = (
            CaseTask.Kind.CONFIRM_COMPLETION
            if progress["meets_rule"]
            else CaseTask.Kind.CONFIRM_NON_COMPLETION
        )
        detail = ngettext(
            "%(attended)s of %(count)s sessions attended; %(missed)s core theme missed",
            "%(attended)s of %(count)s sessions attended; %(missed)s core themes missed",
            len(progress["missed_core"]),
        ) % {
            "attended": progress["attended"],
            "count": programme.session_count,
            "missed": len(progress["missed_core"]),
        }
        if progress["late"]:
            detail += "; " + _("the deadline of %(date)s had passed") % {
                "date": progress["deadline"].strftime("%d.%m.%Y")
            }
        case_services.case_task_raise(
            participant=participant, kind=kind, key=f"end-{enrolment.pk}", detail=detail
        )


def _restart_rule(
    *,
    participant: Participant,
    enrolment: Enrolment,
    session: Session,
    outcome: Attendance.Outcome,
    by: User,
) -> bool:
    """A missed session ends his place and starts him again at the next first session; the
    referrer is to be told. Marking the same session again changes nothing; correcting it to
    attended undoes the restart while he has not been marked in his new place.

    Returns whether the session's place is a restarted one (so completion is not proposed)."""
    missed = outcome not in Attendance.ATTENDED
    if enrolment.state == Enrolment.State.RESTARTED:
        restarted_at = enrolment.ended_on - datetime.timedelta(days=1)
        if session.date == restarted_at and not missed:
            _restart_undo(participant=participant, enrolment=enrolment, session=session)
            return False
        return True
    if enrolment.state != Enrolment.State.ACTIVE or not missed:
        return False
    new_place = _restart(participant=participant, enrolment=enrolment, session=session, by=by)
    if new_place is not None:
        case_services.case_task_raise(
            participant=participant,
            kind=CaseTask.Kind.INFORM_REFERRER,
            key=f"missed-{session.pk}",
            detail=_(
                "He missed the session of %(date)s, so he starts again on %(next)s and what he "
                "attended before no longer counts: tell the referrer."
            )
            % {
                "date": session.date.strftime("%d.%m.%Y"),
                "next": new_place.first_session.date.strftime("%d.%m.%Y"),
            },
        )
    return True


def _restart(
    *, participant: Participant, enrolment: Enrolment, session: Session, by: User
) -> Enrolment | None:
    """End his place after the missed session and give him a new one in the same group from the
    next session of the programme's first theme (a new cycle is added if there is none).
    None when a tap at the same moment already did."""
    if Enrolment.objects.select_for_update().get(pk=enrolment.pk).state != Enrolment.State.ACTIVE:
        return None
    group = Group.objects.select_for_update().select_related("programme").get(pk=enrolment.group_id)
    start = next_cycle_start(
        group, on_or_after=max(session.date + datetime.timedelta(days=1), timezone.localdate())
    )
    enrolment.state = Enrolment.State.RESTARTED
    enrolment.ended_on = session.date + datetime.timedelta(days=1)
    enrolment.save(update_fields=["state", "ended_on"])
    return Enrolment.objects.create(
        organisation_id=enrolment.organisation_id,
        participant=participant,
        group=group,
        first_session=start,
        created_by=by,
    )


def next_cycle_start(group: Group, *, on_or_after: datetime.date) -> Session:
    """The group's next session of the programme's first theme from a date, with the sessions
    of the whole programme after it (a cycle is added to the schedule when needed)."""
    first_theme = group.programme.themes.order_by("number").values_list("number", flat=True)[0]

    def find() -> Session | None:
        return (
            group.sessions.filter(
                status=Session.Status.SCHEDULED, theme__number=first_theme, date__gte=on_or_after
            )
            .order_by("date", "start_time")
            .first()
        )

    skip = closures(group.organisation)
    start = find()
    while start is None:
        _append_cycle(group, skip=skip)
        start = find()
    _ensure_sessions(group, after=start, needed=group.programme.session_count)
    return start


def _restart_undo(*, participant: Participant, enrolment: Enrolment, session: Session) -> None:
    """The missed session was marked by mistake: give him his place back, as long as the new
    place the restart gave him is untouched."""
    later = list(participant.enrolments.filter(pk__gt=enrolment.pk))
    if (
        len(later) != 1
        or later[0].state != Enrolment.State.ACTIVE
        or later[0].group_id != enrolment.group_id
        or later[0].attendance.exists()
    ):
        raise ValidationError(
            _(
                "He started again after missing this session and his new place has moved on "
                "since: this mark can no longer be changed to attended."
            )
        )
    later[0].delete()
    enrolment.state = Enrolment.State.ACTIVE
    enrolment.ended_on = None
    enrolment.save(update_fields=["state", "ended_on"])
    # The referrer has not been told yet: the task was raised by the mistaken mark.
    CaseTask.objects.filter(
        participant=participant,
        kind=CaseTask.Kind.INFORM_REFERRER,
        key=f"missed-{session.pk}",
        done_at__isnull=True,
    ).delete()


@transaction.atomic
def completion_confirm(
    *, participant: Participant, task: CaseTask, by: User, reason: str = ""
) -> None:
    """A facilitator confirms the end of a man's programme: completed, or (when the rule was not
    met) withdrawn with a reason. His place in the group ends."""
    if task.participant_id != participant.pk or task.done_at is not None:
        raise ValidationError(_("This task is not open on this case."))
    if task.kind == CaseTask.Kind.CONFIRM_COMPLETION:
        to_status, reason = Status.COMPLETED, reason or SYSTEM_REASONS["Completed the programme"]
    elif task.kind == CaseTask.Kind.CONFIRM_NON_COMPLETION:
        to_status = Status.WITHDRAWN
    else:
        raise ValidationError(_("This task is not about the end of the programme."))
    place = (
        participant.enrolments.filter(state=Enrolment.State.ACTIVE)
        .select_related("group__programme")
        .first()
    )
    case_services.participant_change_status(
        participant=participant, to_status=to_status, by=by, reason=reason
    )
    Enrolment.objects.filter(participant=participant, state=Enrolment.State.ACTIVE).update(
        state=Enrolment.State.FINISHED, ended_on=timezone.localdate()
    )
    case_services.case_task_done(task=task, by=by)
    if place is not None and place.group.programme.report_outcome_to_referrer:
        # The referrer learns the outcome through staff, with the progress report
        # (sessions.reports), as for any other news on a case.
        if to_status == Status.COMPLETED:
            detail = _("Tell the referrer he completed the programme; send the progress report.")
        else:
            detail = _(
                "Tell the referrer he did not complete the programme; send the progress report."
            )
        case_services.case_task_raise(
            participant=participant,
            kind=CaseTask.Kind.INFORM_REFERRER,
            key=f"outcome-{task.pk}",
            detail=detail,
        )


# --- the deadline to complete by ---------------------------------------------------------------


def completion_deadlines_apply(*, on: datetime.date | None = None) -> int:
    """Propose non-completion for every man whose programme's deadline has passed without his
    completing it (run nightly; safe to run again: one task per deadline). ``on`` is the day to
    judge by; by default each organisation's today. Returns how many tasks were raised."""
    end_tasks = [CaseTask.Kind.CONFIRM_COMPLETION, CaseTask.Kind.CONFIRM_NON_COMPLETION]
    places = (
        Enrolment.objects.filter(
            state=Enrolment.State.ACTIVE,
            group__programme__complete_within_days__isnull=False,
            participant__status__in=[Status.ALLOCATED, Status.IN_PROGRAMME],
        )
        .select_related("participant", "group__programme", "organisation")
        .order_by("pk")
    )
    raised = 0
    for place in places:
        participant = place.participant
        with timezone.override(place.organisation.time_zone):
            today = on or timezone.localdate()
        deadline = completion_deadline(participant, place.group.programme)
        if deadline is None or today <= deadline:
            continue
        if participant.tasks.filter(kind__in=end_tasks, done_at__isnull=True).exists():
            continue  # the end of his programme is already waiting for a facilitator
        progress = completion_check(participant)
        if progress["meets_rule"]:
            continue
        with translation.override(place.organisation.default_language), transaction.atomic():
            task, created = case_services.case_task_raise(
                participant=participant,
                kind=CaseTask.Kind.CONFIRM_NON_COMPLETION,
                key=f"deadline-{deadline:%Y-%m-%d}",
                detail=_(
                    "The deadline of %(date)s has passed: %(attended)s of %(count)s sessions "
                    "attended."
                )
                % {
                    "date": deadline.strftime("%d.%m.%Y"),
                    "attended": progress["attended"],
                    "count": place.group.programme.session_count,
                },
            )
            if created:
                # Raised by the system (the nightly task is the origin), on his case.
                what = f"task {task.pk} ({task.kind}) raised"
                audit_change(AuditEvent.Action.CREATE, participant, what=what)
        raised += created
    return raised
