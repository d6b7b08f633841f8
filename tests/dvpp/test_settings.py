"""Configuration from the environment: safe defaults, strict production, a clean deploy check."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import operator_env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-0123456789abcdefXYZ",
    "ALLOWED_HOSTS": "dvpp.example.org",
    "FIELD_ENCRYPTION_KEYS": "Xn1HqKx5o6HhQ6c0H9dGgVQn7pxR4u9pQ2M3c7l8ZkE=",
}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python with Django set up, outside pytest, with exactly these variables added."""
    script = f"import django; django.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=operator_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_app_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run_django("print('started')", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_app_refuses_to_start_in_production_without_an_encryption_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEYS"}
    result = run_django("print('started')", **env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr


def test_debug_off_is_the_default():
    result = run_django("print('started')")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_starts_without_secret_key():
    result = run_django("print('started')", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_a_malformed_boolean_is_refused_clearly():
    result = run_django("", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=operator_env(**PRODUCTION),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_redis_url_tasks_run_in_process():
    result = run_django(
        "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)", DEBUG="1"
    )
    assert result.stdout.strip() == "True", result.stderr


def test_with_redis_url_tasks_go_to_the_broker():
    result = run_django(
        "from dvpp.celery import app; print(app.conf.task_always_eager, app.conf.broker_url)",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.strip() == "False redis://127.0.0.1:6379/3", result.stderr


def test_database_url_switches_to_postgresql():
    result = run_django(
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@db.internal:5433/dvpp",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "dvpp",
        "db.internal",
        "5433",
    ], result.stderr


def test_production_sets_secure_cookies_and_hsts():
    result = run_django(
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS)",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "DENY"], result.stderr


def test_code_only_commands_run_without_secrets_and_the_rest_still_refuse():
    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=operator_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    checked = manage("makemigrations", "--check", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout
    refused = manage("migrate", "--check")
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr
