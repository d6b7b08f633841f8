"""Celery tasks of the outcomes app. The schedule is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task

from dvpp import notifications
from dvpp.models import JobRun

from . import nightly


@shared_task(
    name="outcomes.nightly_report", autoretry_for=(OSError,), retry_backoff=60, max_retries=3
)
def nightly_report() -> int:
    """Every night: each organisation's snapshot, and the report to its managers."""
    made = nightly.nightly_outcome_report()
    notifications.send_pending()
    JobRun.record("nightly_outcome_report", f"{made} e-mails")
    return made
