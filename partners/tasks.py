"""Celery tasks of partner support. The schedule is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task

from dvpp import notifications
from dvpp.models import JobRun

from . import digest as digests


@shared_task(name="partners.digest")
def digest() -> int:
    """Every morning: each partner support worker's list of the day."""
    made = digests.iss_digest()
    notifications.send_pending()
    JobRun.record("iss_digest", f"{made} digests")
    return made
