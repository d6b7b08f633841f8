"""The Celery app: tasks run in-process without a broker, and through Redis to a worker with one."""

import time
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker

from dvpp.celery import app
from tests.conftest import TEST_REDIS_URL, skip_or_fail

DONE: list[int] = []


@app.task(name="tests.add")
def add(x: int, y: int) -> int:
    DONE.append(x + y)
    return x + y


def test_without_a_broker_a_task_runs_at_once_in_process():
    assert app.conf.task_always_eager
    DONE.clear()
    add.delay(2, 3)
    assert DONE == [5]


@pytest.fixture
def redis_app():
    """The project's Celery configuration, as a worker with REDIS_URL set would load it.

    A separate app instance, because a Celery app caches its broker connections: the project's
    app already holds the in-process broker of the default configuration.
    """
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        skip_or_fail(f"Redis is not reachable at {TEST_REDIS_URL}")
    with Celery("dvpp-redis-test", set_as_current=False) as redis_app:
        redis_app.config_from_object("django.conf:settings", namespace="CELERY")
        redis_app.conf.update(broker_url=TEST_REDIS_URL, task_always_eager=False)
        yield redis_app


def test_with_redis_a_task_travels_through_the_broker_to_a_worker(redis_app):
    mark = f"test-mark-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(TEST_REDIS_URL)

    @redis_app.task(name="tests.mark")
    def mark_done(key: str, value: int) -> None:
        redis.Redis.from_url(TEST_REDIS_URL).set(key, value, ex=60)

    # A queue of its own, so parallel test runs sharing this Redis never take each other's work.
    queue = f"test-{uuid.uuid4().hex}"
    with start_worker(
        redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
    ):
        mark_done.apply_async((mark, 42), queue=queue)
        deadline = time.monotonic() + 20
        while client.get(mark) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert client.get(mark) == b"42"
    assert redis_app.conf.task_acks_late  # the project's settings were loaded, not defaults
