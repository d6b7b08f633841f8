"""The men's messages about their group sessions: the reminder before a session, and the notice
when one is cancelled or moved, worded for the channel (a discreet SMS names no group).

They go through the core's outbox (:mod:`dvpp.notifications`), once per key; a reminder whose
session was cancelled or has started by the time it would go is not sent (:func:`still_wanted`).
"""

import datetime

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Notification
from dvpp.notifications import Kind, notify

from .models import Session
from .selectors import register


def outbox_kinds() -> list[Kind]:
    return [
        Kind("reminder", gettext_lazy("Session reminder")),
        Kind("cancel", gettext_lazy("Cancelled session notice")),
        Kind("move", gettext_lazy("Moved session notice")),
    ]


def _channels(man) -> list[tuple[str, str]]:
    if not man.reminder_consent:
        return []
    if man.reminder_channel == "sms" and man.phone:
        return [("sms", man.phone)]
    if man.reminder_channel == "email" and man.email:
        return [("email", man.email)]
    return []


def _session_text(session, kind: str, organisation, channel: str) -> tuple[str, str]:
    when = formats.date_format(session.date, "DATE_FORMAT")
    time = session.start_time.strftime("%H:%M")
    venue = session.group.venue
    discreet = channel == "sms" and organisation.discreet_sms
    if kind == "reminder":
        body = (
            _("Reminder: appointment on %(date)s at %(time)s, %(venue)s.")
            if discreet
            else _("Reminder: your group session is on %(date)s at %(time)s, %(venue)s.")
        )
    elif kind == "cancel":
        body = (
            _("Your appointment on %(date)s is cancelled. We will be in touch.")
            if discreet
            else _("Your group session on %(date)s is cancelled. The next one follows as planned.")
        )
    else:
        body = (
            _("Your appointment has moved to %(date)s at %(time)s, %(venue)s.")
            if discreet
            else _("Your group session has moved to %(date)s at %(time)s, %(venue)s.")
        )
    subject = _("Appointment") if discreet else _("Group session")
    return subject, body % {"date": when, "time": time, "venue": venue}


def _notify_men(session, kind: str, key_part: str, due: datetime.datetime | None = None) -> int:
    organisation = session.group.organisation
    made = 0
    for row in register(session):
        man = row.participant
        for channel, to in _channels(man):
            with translation.override(man.preferred_language):
                subject, body = _session_text(session, kind, organisation, channel)
            _, created = notify(
                organisation=organisation,
                key=f"{key_part}:{man.pk}:{channel}",
                kind=kind,
                channel=channel,
                to=to,
                subject=subject,
                body=body,
                session_id=session.pk,
                participant_id=man.pk,
                due=due,
            )
            made += created
    return made


def queue_due_reminders(now: datetime.datetime | None = None) -> int:
    """Find the sessions whose reminder time has come and that have not started, and queue one
    reminder per man, channel and session date. Reminders that fell due while nothing ran are
    found the next time this runs. A session whose reminders were queued is audited once, as
    done by what ran this (the scheduled task)."""
    now = now or timezone.now()
    made = 0
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        date__gte=(now - datetime.timedelta(days=1)).date(),
        date__lte=(now + datetime.timedelta(days=8)).date(),
    ).select_related("group__organisation", "theme")
    for session in sessions:
        organisation = session.group.organisation
        with timezone.override(organisation.time_zone):
            starts = timezone.make_aware(
                datetime.datetime.combine(session.date, session.start_time)
            )
        if not (starts - datetime.timedelta(hours=organisation.reminder_hours) <= now < starts):
            continue
        with transaction.atomic():  # the session's reminders and their audit row together
            key = f"reminder:{session.pk}:{session.date}"
            queued = _notify_men(session, "reminder", key, due=now)
            if queued:
                audit_change(
                    AuditEvent.Action.CREATE,
                    session,
                    what=f"reminders queued: {queued}",
                    organisation_id=organisation.pk,
                )
        made += queued
    return made


def session_cancelled(session) -> int:
    """A cancelled session: each man gets a notice, and no reminder goes out for it."""
    Notification.objects.filter(
        session_id=session.pk, kind="reminder", state=Notification.State.PENDING
    ).update(state=Notification.State.SKIPPED)
    return _notify_men(session, "cancel", f"cancel:{session.pk}")


def session_moved(session) -> int:
    Notification.objects.filter(
        session_id=session.pk, kind="reminder", state=Notification.State.PENDING
    ).update(state=Notification.State.SKIPPED)
    return _notify_men(session, "move", f"move:{session.pk}:{session.date}:{session.start_time}")


def still_wanted(*, notification: Notification, now: datetime.datetime) -> bool | None:
    """A reminder whose session was cancelled or has started is not sent."""
    if notification.kind != "reminder" or notification.session_id is None:
        return None
    session = (
        Session.objects.filter(pk=notification.session_id)
        .select_related("group__organisation")
        .first()
    )
    if session is None or session.is_cancelled:
        return False
    with timezone.override(session.group.organisation.time_zone):
        starts = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
    return None if now < starts else False  # a reminder after the session has started helps nobody
