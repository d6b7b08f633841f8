"""Celery tasks of the men's side. The schedule is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task

from dvpp.models import JobRun

from .retention import retention_apply_all


@shared_task(name="participants.apply_retention")
def apply_retention() -> int:
    """Every night: anonymise the closed cases that have passed their retention period."""
    done = retention_apply_all(dry_run=False)
    JobRun.record("nightly_retention", f"{done} cases anonymised")
    return done
