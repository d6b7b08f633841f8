"""Celery tasks of the group programme: each calls a service that is safe to run twice.

The schedule is CELERY_BEAT_SCHEDULE in dvpp/settings.py."""

from celery import shared_task

from dvpp.models import JobRun

from . import reminders, services


@shared_task(name="sessions.send_reminders")
def send_reminders() -> int:
    """Every few minutes: queue the reminders whose time has come (the outbox sends them)."""
    made = reminders.queue_due_reminders()
    JobRun.record("queue_due_reminders", f"{made} queued")
    return made


@shared_task(name="sessions.completion_deadlines")
def completion_deadlines() -> int:
    """Every night: propose non-completion where a programme's deadline has passed."""
    raised = services.completion_deadlines_apply()
    JobRun.record("completion_deadlines", f"{raised} tasks raised")
    return raised
