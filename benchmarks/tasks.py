"""Run inside Django against the large data set: time the scheduled tasks as Celery runs them
(the task's own function, in this process), each once. Prints JSON: seconds and the result."""

import json
import sys
import time

import django


def fresh_night() -> None:
    """Each task does its work once a day: forget today's snapshots and sent lists (benchmark
    data only), so that a second run of the benchmark on the same day times the whole work."""
    from django.utils import timezone

    from dvpp.models import Notification
    from outcomes.models import OutcomeSnapshot

    OutcomeSnapshot.objects.filter(taken_on=timezone.localdate()).delete()
    Notification.objects.filter(kind__in=["outcome_report", "iss_digest", "reminder"]).delete()


def main() -> None:
    django.setup()
    from outcomes import tasks as outcome_tasks
    from partners import tasks as partner_tasks
    from sessions import tasks as session_tasks

    fresh_night()
    timed = {}
    for name, task in (
        ("nightly outcome report", outcome_tasks.nightly_report),
        ("reminder scan", session_tasks.send_reminders),
        ("ISS digest", partner_tasks.digest),
    ):
        started = time.perf_counter()
        result = task()
        timed[name] = {"seconds": time.perf_counter() - started, "result": str(result)}
    json.dump(timed, sys.stdout)


if __name__ == "__main__":
    main()
