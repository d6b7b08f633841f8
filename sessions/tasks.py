"""Celery tasks of the group programme: each calls a service that is safe to run twice.

The schedule is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="sessions.completion_deadlines")
def completion_deadlines() -> int:
    """Every night: propose non-completion where a programme's deadline has passed."""
    from dvpp.models import JobRun

    raised = services.completion_deadlines_apply()
    JobRun.objects.update_or_create(
        name="completion_deadlines",
        defaults={"finished_at": timezone.now(), "detail": f"{raised} tasks raised"},
    )
    return raised
