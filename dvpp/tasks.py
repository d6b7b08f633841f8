"""The core's Celery tasks: sending what is in the outbox, and clearing expired sessions. Each
app's own tasks are in ``<app>/tasks.py``, named after the app (``sessions.send_reminders``,
``outcomes.nightly_report``, ``partners.digest``, ``participants.apply_retention``). The schedule
is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task

from . import notifications
from .models import JobRun


@shared_task(name="dvpp.send_pending_notifications")
def send_pending_notifications() -> dict:
    counts = notifications.send_pending()
    JobRun.record("send_pending_notifications", str(counts))
    return counts


@shared_task(name="dvpp.clear_sessions")
def clear_sessions() -> None:
    """Delete expired sessions, and whatever they held, every night."""
    from django.core.management import call_command

    call_command("clearsessions")
