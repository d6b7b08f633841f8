"""The outbox (``Notification``) and the sending of what is in it, by e-mail or SMS.

The apps write the messages — session reminders and notices to the men
(:mod:`sessions.reminders`), the nightly outcome report to managers (:mod:`outcomes.nightly`),
the morning list to partner support (:mod:`partners.digest`) — and declare their kinds through
:data:`dvpp.hooks.outbox_kinds`; the core only queues and sends, and asks the apps through
:data:`dvpp.hooks.outbox_still_wanted` whether a queued message should still go.

Everything here is safe to run twice: a message is created once per key and sent once per row.
Nothing is ever sent to a partner.
"""

import base64
import datetime
import logging

from django.core.mail import EmailMessage
from django.utils import timezone

from . import hooks
from .message_kinds import Kind, kind_label, kinds  # noqa: F401 (the apps import Kind from here)
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


# --- sending ------------------------------------------------------------------------------------


def _still_wanted(notification: Notification, now: datetime.datetime) -> bool:
    """Whether the message should still go: any app may say it no longer should (he withdrew
    his consent after it was queued, the session was cancelled or has already started)."""
    return all(
        receiver(notification=notification, now=now) is not False
        for receiver in hooks.outbox_still_wanted.receivers()
    )


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
    forgetting = {kind.name for kind in kinds().values() if kind.forget_body}
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
                if notification.kind in forgetting:
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
