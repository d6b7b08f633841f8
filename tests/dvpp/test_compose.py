"""docker-compose.yml defines the production-like installation the README describes."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_defines_the_five_services():
    services = load()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)


def test_every_long_running_service_has_a_health_check():
    services = load()["services"]
    for name in ("web", "worker", "beat", "db", "redis"):
        assert "test" in services[name]["healthcheck"], name


def test_web_runs_gunicorn_after_migrations_on_a_healthy_database():
    services = load()["services"]
    assert services["web"]["command"][0] == "gunicorn"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    depends = services["web"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["db"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_workers_use_celery_with_the_redis_broker_and_postgresql():
    services = load()["services"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "dvpp", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "dvpp", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["DEBUG"] == "0"


def test_database_lives_on_a_named_volume():
    compose = load()
    volume = compose["services"]["db"]["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_the_image_installs_pinned_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "-c requirements/constraints.txt" in dockerfile
    assert "collectstatic" in dockerfile
