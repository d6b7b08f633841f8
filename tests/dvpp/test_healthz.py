"""GET /healthz: what a load balancer and docker-compose ask before sending traffic."""

import json
import subprocess
import sys
from pathlib import Path

import redis

from tests.conftest import TEST_REDIS_URL, operator_env, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker_without_sign_in(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "not configured (tasks run in-process)",
        "last_nightly_run_hours": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_reachable_redis_broker(client, db, settings):
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        skip_or_fail(f"Redis is not reachable at {TEST_REDIS_URL}")
    settings.REDIS_URL = TEST_REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_stays_up_but_says_so_when_the_broker_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error", "last_nightly_run_hours": None}


def test_healthz_answers_503_when_the_database_cannot_be_reached():
    """A real unreachable database (nothing listens on port 1), in a separate process."""
    env = operator_env(DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:1/none")
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz', HTTP_HOST='localhost')\n"
        "print(r.status_code); print(r.content.decode())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["database"] == "error"
    assert "127.0.0.1:1" not in body  # no connection details leak to an unauthenticated caller


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
