"""Messages the system sends, through the outbox (``Notification``): session reminders and
notices to the men, the nightly report to managers, the morning digest to partner support.

Everything here is safe to run twice: a message is created once per key and sent once per row.
Nothing is ever sent to a partner.
"""

import base64
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import Notification, Organisation
from .sms import SmsError, send_sms

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
STALE = datetime.timedelta(minutes=15)


def notify(
    *,
    organisation: Organisation,
    key: str,
    kind: str,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    attachments: list | None = None,
    session_id: int | None = None,
    participant_id: int | None = None,
    due: datetime.datetime | None = None,
) -> tuple[Notification, bool]:
    """Put a message in the outbox once: the same key never makes a second message. It is due
    at `due` (by default now), so a run that works out what is due at a given moment also sends
    it at that moment."""
    return Notification.objects.get_or_create(
        key=key,
        defaults={
            "organisation": organisation,
            "kind": kind,
            "channel": channel,
            "to": to,
            "subject": subject,
            "body": body,
            "attachments": attachments or [],
            "session_id": session_id,
            "participant_id": participant_id,
            "next_attempt_at": due or timezone.now(),
        },
    )


# --- the men: reminders and notices -------------------------------------------------------------


def _channels(man) -> list[tuple[str, str]]:
    if not man.reminder_consent:
        return []
    if man.reminder_channel == "sms" and man.phone:
        return [("sms", man.phone)]
    if man.reminder_channel == "email" and man.email:
        return [("email", man.email)]
    return []


def _session_text(session, kind: str, organisation: Organisation, channel: str) -> tuple[str, str]:
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
    from sessions.selectors import register

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
    found the next time this runs."""
    from sessions.models import Session

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
        made += _notify_men(session, "reminder", f"reminder:{session.pk}:{session.date}", due=now)
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


# --- sending ------------------------------------------------------------------------------------


def _still_wanted(notification: Notification, now: datetime.datetime) -> bool:
    if notification.participant_id is not None:
        from participants.models import Participant

        # He withdrew his consent after the message was queued: it is not sent.
        if not Participant.objects.filter(
            pk=notification.participant_id, reminder_consent=True
        ).exists():
            return False
    if notification.kind != "reminder" or notification.session_id is None:
        return True
    from sessions.models import Session

    session = (
        Session.objects.filter(pk=notification.session_id)
        .select_related("group__organisation")
        .first()
    )
    if session is None or session.is_cancelled:
        return False
    with timezone.override(session.group.organisation.time_zone):
        starts = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
    return now < starts  # a reminder after the session has started helps nobody


def _deliver(notification: Notification) -> str:
    if notification.channel == Notification.Channel.SMS:
        return send_sms(to=notification.to, text=notification.body)
    message = EmailMessage(
        subject=notification.subject, body=notification.body, to=[notification.to]
    )
    for item in notification.attachments:
        message.attach(item["name"], base64.b64decode(item["content"]), item["type"])
    message.send(fail_silently=False)
    return ""


def _claim(notification_id: int, now: datetime.datetime) -> bool:
    """Take a message for sending. One UPDATE decides, atomically on every database: of two
    workers racing for the same message, exactly one gets it."""
    return bool(
        Notification.objects.filter(pk=notification_id, state=Notification.State.PENDING).update(
            state=Notification.State.SENDING, claimed_at=now
        )
    )


def send_pending(now: datetime.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due, each message once. A message is claimed before it is sent, so a
    duplicated task or a second worker skips it; a failure is retried later with a growing
    delay, and after MAX_ATTEMPTS the message is marked failed for staff to see. A claim older
    than STALE (a worker that died mid-send) is released to be tried again."""
    now = now or timezone.now()
    Notification.objects.filter(
        state=Notification.State.SENDING, claimed_at__lt=now - STALE
    ).update(state=Notification.State.PENDING)
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    due = list(
        Notification.objects.filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        if not _claim(pk, now):
            continue
        notification = Notification.objects.get(pk=pk)
        if not _still_wanted(notification, now):
            notification.state = Notification.State.SKIPPED
            counts["skipped"] += 1
        else:
            try:
                notification.gateway_id = _deliver(notification) or ""
            except (SmsError, OSError) as error:
                notification.attempts += 1
                notification.last_error = str(error)[:500]
                if notification.attempts >= MAX_ATTEMPTS:
                    notification.state = Notification.State.FAILED
                    counts["failed"] += 1
                else:
                    notification.state = Notification.State.PENDING
                    notification.next_attempt_at = now + datetime.timedelta(
                        minutes=2**notification.attempts
                    )
                    counts["retry"] += 1
                logger.warning(
                    "Notification %s not sent (attempt %s)", notification.pk, notification.attempts
                )
            else:
                notification.state = Notification.State.SENT
                notification.attempts += 1
                notification.sent_at = now
                if notification.kind == "iss_digest":
                    # It names partners: once sent, the outbox keeps no copy.
                    notification.body = ""
                counts["sent"] += 1
        notification.save(
            update_fields=[
                "state",
                "attempts",
                "last_error",
                "next_attempt_at",
                "sent_at",
                "gateway_id",
                "body",
            ]
        )
    return counts


def retry_failed(notification: Notification) -> None:
    notification.state = Notification.State.PENDING
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.save(update_fields=["state", "attempts", "next_attempt_at"])


# --- staff: the nightly report and the morning digest -------------------------------------------


def nightly_outcome_report(on: datetime.date | None = None) -> int:
    """Build each organisation's snapshot and e-mail its managers a summary with the CSV and
    XLSX attached, in the organisation's language. Twice the same night: one of each."""
    from dvpp.models import Role, User
    from outcomes import exports, figures
    from outcomes.services import snapshot_build

    on = on or timezone.localdate()
    made = 0
    for organisation in Organisation.objects.filter(is_active=True):
        snapshot, _created = snapshot_build(organisation=organisation, on=on)
        managers = User.objects.filter(
            organisation=organisation, role=Role.MANAGER, is_active=True
        ).exclude(email="")
        if not managers.exists():
            continue
        with translation.override(organisation.default_language):
            rows = figures.paired_table(organisation, figures.Filters())
            programme = figures.programme_figures(organisation, figures.Filters())
            lines = [
                _("Outcome figures for %(organisation)s, %(date)s.")
                % {
                    "organisation": organisation.name,
                    "date": formats.date_format(on, "DATE_FORMAT"),
                },
                "",
            ]
            for row in rows:
                lines.append(
                    f"{row.label}: "
                    + (
                        _("fewer than the minimum")
                        if row.suppressed
                        else f"{row.before}% → {row.after}% (n={row.n})"
                    )
                )
            lines += ["", _("Data hash: %(hash)s") % {"hash": snapshot.source_hash}]
            subject = _("Nightly outcome report")
            attachments = [
                {
                    "name": f"outcomes-{on}.csv",
                    "type": "text/csv",
                    "content": base64.b64encode(exports.to_csv(rows)).decode(),
                },
                {
                    "name": f"outcomes-{on}.xlsx",
                    "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "content": base64.b64encode(exports.to_xlsx(rows, programme)).decode(),
                },
            ]
        for manager in managers:
            _n, created = notify(
                organisation=organisation,
                key=f"outcome-report:{organisation.pk}:{on}:{manager.pk}",
                kind="outcome_report",
                channel="email",
                to=manager.email,
                subject=subject,
                body="\n".join(lines),
                attachments=attachments,
            )
            made += created
    return made


def iss_digest(on: datetime.date | None = None) -> int:
    """Each partner support worker's morning list: overdue and due-today check-ins and partners
    awaiting first contact. Sent to partner support workers only; it names partners by given
    name and initial, with his case reference, and carries no contact details."""
    from dvpp.models import Role, User
    from partners import selectors

    on = on or timezone.localdate()
    made = 0
    workers = User.objects.filter(
        role=Role.PARTNER_SUPPORT, is_active=True, organisation__is_active=True
    ).exclude(email="")
    for worker in workers.select_related("organisation"):
        overdue = selectors.overdue_checkins(worker, mine=True, today=on)
        due_today = selectors.due_on(worker, on, mine=True)
        awaiting = selectors.awaiting_contact(worker, today=on, mine=True)
        with translation.override(worker.organisation.default_language):

            def names(partners):
                # His case reference tells two women of the same given name apart.
                return (
                    ", ".join(
                        _("%(name)s (case %(reference)s)")
                        % {
                            "name": f"{p.first_name} {p.last_name[:1]}.",
                            "reference": p.participant.reference,
                        }
                        for p in partners
                    )
                    or "—"
                )

            body = "\n".join(
                [
                    _("Your partner support list for %(date)s.")
                    % {"date": formats.date_format(on, "DATE_FORMAT")},
                    "",
                    _("Check-ins overdue: %(names)s") % {"names": names(overdue)},
                    _("Check-ins due today: %(names)s") % {"names": names(due_today)},
                    _("Awaiting first contact: %(names)s") % {"names": names(awaiting)},
                    "",
                    f"{settings.SITE_URL}/partners/",
                ]
            )
            subject = _("Partner support: today's list")
        _n, created = notify(
            organisation=worker.organisation,
            key=f"iss-digest:{worker.pk}:{on}",
            kind="iss_digest",
            channel="email",
            to=worker.email,
            subject=subject,
            body=body,
        )
        made += created
    return made
