"""Celery tasks: each loads fresh rows and calls a service that is safe to run twice. The
schedule is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task
from django.utils import timezone

from . import notifications
from .models import JobRun


def _done(name: str, detail: str) -> None:
    JobRun.objects.update_or_create(
        name=name, defaults={"finished_at": timezone.now(), "detail": detail[:500]}
    )


@shared_task(name="dvpp.queue_due_reminders")
def queue_due_reminders() -> int:
    made = notifications.queue_due_reminders()
    _done("queue_due_reminders", f"{made} queued")
    return made


@shared_task(name="dvpp.send_pending_notifications")
def send_pending_notifications() -> dict:
    counts = notifications.send_pending()
    _done("send_pending_notifications", str(counts))
    return counts


@shared_task(
    name="dvpp.nightly_outcome_report", autoretry_for=(OSError,), retry_backoff=60, max_retries=3
)
def nightly_outcome_report() -> int:
    made = notifications.nightly_outcome_report()
    notifications.send_pending()
    _done("nightly_outcome_report", f"{made} e-mails")
    return made


@shared_task(name="dvpp.iss_digest")
def iss_digest() -> int:
    made = notifications.iss_digest()
    notifications.send_pending()
    _done("iss_digest", f"{made} digests")
    return made


@shared_task(name="dvpp.nightly_retention")
def nightly_retention() -> int:
    from participants.retention import retention_apply_all

    done = retention_apply_all(dry_run=False)
    _done("nightly_retention", f"{done} cases anonymised")
    return done


@shared_task(name="dvpp.clear_sessions")
def clear_sessions() -> None:
    """Delete expired sessions, and whatever they held, every night."""
    from django.core.management import call_command

    call_command("clearsessions")
