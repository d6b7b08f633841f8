"""The background work against the real Redis broker and a real Celery worker started here.

The worker runs in this process (threads), with the project's Celery settings and tasks; the
database is the test database, committed (transactional tests) so the worker sees the rows.
"""

import datetime
import json
import time
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections
from django.utils import timezone

from dvpp.models import Notification
from outcomes.models import OutcomeSnapshot
from tests.conftest import TEST_REDIS_URL, skip_or_fail


def _close_thread_connections(**kwargs):
    connections.close_all()  # the worker's threads must not keep the test database open


@pytest.fixture
def worker_app(transactional_db, settings, tmp_path):
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        skip_or_fail(f"Redis is not reachable at {TEST_REDIS_URL}")
    settings.SMS_BACKEND = "dvpp.sms.LogSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    from dvpp.celery import app as project_app

    app = Celery("dvpp-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    queue = f"test-{uuid.uuid4().hex}"
    app.conf.update(broker_url=TEST_REDIS_URL, task_always_eager=False, task_default_queue=queue)
    # Importing the task modules registers their shared tasks on every app.
    import dvpp.tasks  # noqa: F401
    import outcomes.tasks  # noqa: F401
    import partners.tasks  # noqa: F401
    import sessions.tasks  # noqa: F401

    app.finalize()
    app.queue = queue
    task_postrun.connect(_close_thread_connections)
    yield app
    task_postrun.disconnect(_close_thread_connections)
    project_app.set_current()


def _run(app, *names, worker=True, concurrency=2, until=None):
    """Send tasks by name, then (unless told not to) run a worker until ``until()`` holds, or
    until every task has been taken and a moment has passed."""
    for name in names:
        app.send_task(name, queue=app.queue)
    if worker:
        with start_worker(
            app,
            pool="threads",
            concurrency=concurrency,
            perform_ping_check=False,
            shutdown_timeout=30,
            queues=[app.queue],
        ):
            _wait(app, until)


def _wait(app, until, seconds=30):
    client = redis.Redis.from_url(TEST_REDIS_URL)
    deadline = time.monotonic() + seconds
    if until is not None:
        while not until() and time.monotonic() < deadline:
            time.sleep(0.1)
    while client.llen(app.queue) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # a duplicate delivery would land now: give it the chance to misbehave


def _sms(settings):
    from pathlib import Path

    path = Path(settings.SMS_FILE_PATH)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _due_sms(org, n=1):
    return [
        Notification.objects.create(
            organisation=org.organisation,
            key=f"test:{i}",
            kind="test",
            channel="sms",
            to=f"+7900000000{i}",
            body="Hello",
        )
        for i in range(n)
    ]


def test_a_due_message_is_sent_once_when_two_workers_race_for_it(org_a, worker_app, settings):
    _due_sms(org_a, 3)
    _run(
        worker_app,
        *["dvpp.send_pending_notifications"] * 4,
        concurrency=2,
        until=lambda: not Notification.objects.exclude(state="sent").exists(),
    )
    assert sorted(m["to"] for m in _sms(settings)) == [
        "+79000000000",
        "+79000000001",
        "+79000000002",
    ]
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_work_queued_while_no_worker_ran_is_done_when_one_starts(org_a, worker_app, settings):
    _due_sms(org_a)
    _run(worker_app, "dvpp.send_pending_notifications", worker=False)
    assert _sms(settings) == []  # nothing ran: the message waits in the broker and the outbox
    _run(worker_app, until=lambda: Notification.objects.filter(state="sent").exists())
    assert len(_sms(settings)) == 1


def test_a_reminder_due_now_goes_out_once_and_a_cancellation_replaces_it(
    org_a, worker_app, settings
):
    from participants.models import Status
    from sessions import services as session_services
    from sessions.curriculum import programme_install_standard
    from tests.factories import ParticipantFactory, ReferralFactory

    starts = timezone.localtime() + datetime.timedelta(hours=3)
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme_install_standard(org_a.organisation),
            "name": "Now",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Room 9",
            "weekday": starts.date().weekday(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "duration_minutes": 60,
            "start_date": starts.date(),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    session = group.sessions.order_by("date").first()
    man = ParticipantFactory(
        organisation=org_a.organisation,
        status=Status.WAITING_LIST,
        phone="+79001112233",
        reminder_consent=True,
        reminder_channel="sms",
    )
    ReferralFactory(participant=man)
    session_services.enrolment_allocate(
        participant=man, group=group, by=org_a.manager, first_session=session
    )
    _run(
        worker_app,
        "sessions.send_reminders",
        "sessions.send_reminders",
        "dvpp.send_pending_notifications",
        "dvpp.send_pending_notifications",
        concurrency=1,
    )
    assert [m["to"] for m in _sms(settings)] == ["+79001112233"]
    session_services.session_cancel(session=session, by=org_a.facilitator, reason="Flood")
    _run(worker_app, "sessions.send_reminders", "dvpp.send_pending_notifications", concurrency=1)
    kinds = list(Notification.objects.order_by("pk").values_list("kind", "state"))
    assert kinds == [("reminder", "sent"), ("cancel", "sent")]


def test_a_failing_gateway_is_retried_by_the_worker(org_a, worker_app, settings):
    settings.SMS_BACKEND = "dvpp.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/never"
    _due_sms(org_a)
    _run(
        worker_app,
        "dvpp.send_pending_notifications",
        until=lambda: Notification.objects.filter(attempts=1).exists(),
    )
    notification = Notification.objects.get()
    assert (notification.state, notification.attempts) == ("pending", 1)
    assert notification.next_attempt_at > timezone.now()
    Notification.objects.update(attempts=4, next_attempt_at=timezone.now())
    _run(
        worker_app,
        "dvpp.send_pending_notifications",
        until=lambda: Notification.objects.filter(state="failed").exists(),
    )
    assert Notification.objects.get().state == "failed"


def test_the_nightly_report_twice_makes_one_snapshot_and_one_email(org_a, worker_app):
    org_a.manager.email = "manager@example.org"
    org_a.manager.save()
    _run(worker_app, "outcomes.nightly_report", "outcomes.nightly_report", concurrency=1)
    assert OutcomeSnapshot.objects.filter(organisation=org_a.organisation).count() == 1
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]


def test_the_digest_reaches_only_partner_support(org_a, worker_app):
    _run(worker_app, "partners.digest", until=lambda: len(mail.outbox) >= 1)
    assert [m.to for m in mail.outbox] == [[org_a.partner_support.email]]
