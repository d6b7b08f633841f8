"""What the benchmark and the load test share: benchmark databases on PostgreSQL, the
environment of a production-like process, and gunicorn started and stopped around a run."""

import base64
import contextlib
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PYTHON = sys.executable
# Synthetic people on loopback only: one known password for every benchmark account.
PASSWORD = "benchmark-data-password-2026"
# The data's encrypted fields must open in every process of every run: a fixed key, for
# synthetic data only.
ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"dvpp-benchmark-data").digest())
SERVER = os.environ.get("BENCHMARK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCHMARK_REDIS_URL", "redis://127.0.0.1:6379/14")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(size: str) -> str:
    return f"{SERVER}/dvpp_bench_{size}"


def environment(size: str) -> dict[str, str]:
    """Production's settings (DEBUG off, hashed static files, Redis as the broker) on loopback:
    plain HTTP, so cookies are not marked secure and nothing redirects to HTTPS."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url(size),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": ENCRYPTION_KEY.decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "REDIS_URL": REDIS,
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        # The run signs in once and exports for longer than production's five minutes.
        "REAUTH_MINUTES": "240",
        "LARGE_DATA_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
    }


def manage(size: str, *arguments: str, log: Path | None = None) -> str:
    return _run(size, ["manage.py", *arguments], log=log)


def _run(size: str, arguments: list[str], log: Path | None = None) -> str:
    command = [PYTHON, *arguments]
    result = subprocess.run(
        command, cwd=ROOT, env=environment(size), capture_output=True, text=True, check=False
    )
    if log:
        log.write_text(result.stdout + result.stderr)
    if result.returncode:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def python_module(size: str, module: str, *arguments: str) -> dict:
    result = subprocess.run(
        [PYTHON, "-m", module, *arguments],
        cwd=ROOT,
        env=environment(size),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{module} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout)


def _connect(database: str = "postgres"):
    connection = psycopg2.connect(f"{SERVER}/{database}")
    connection.autocommit = True
    return connection


def _fingerprint() -> str:
    """The data's recipe: a database built by another version of the builder is built again."""
    return (
        "seed_large " + hashlib.sha256((ROOT / "benchmarks/largedata.py").read_bytes()).hexdigest()
    )


def _seeded(size: str) -> bool:
    with _connect().cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [f"dvpp_bench_{size}"],
        )
        found = cursor.fetchone()
    return bool(found) and found[0] == _fingerprint()


def ensure_database(size: str, fresh: bool = False) -> float | None:
    """The size's database, migrated and seeded; seeded again only when asked or incomplete.
    Returns the seconds the seeding took, or None when the existing data was kept."""
    OUT.mkdir(exist_ok=True)
    if not fresh and _seeded(size):
        say(f"{size}: keeping the data in dvpp_bench_{size}; migrating")
        manage(size, "migrate", "--noinput", "-v0")
        return None
    say(f"{size}: building dvpp_bench_{size} (benchmarks.seed_large --size {size})")
    connection = _connect()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "dvpp_bench_{size}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "dvpp_bench_{size}"')
    connection.close()
    manage(size, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    _run(
        size,
        ["-m", "benchmarks.seed_large", "--size", size, "--force"],
        log=OUT / f"seed-{size}.log",
    )
    with _connect(f"dvpp_bench_{size}").cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(f'COMMENT ON DATABASE "dvpp_bench_{size}" IS %s', [_fingerprint()])
    return time.perf_counter() - started


def row_counts(size: str, tables: list[str]) -> dict[str, int]:
    with _connect(f"dvpp_bench_{size}").cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        return counts


def collect_static() -> None:
    manage("tiny", "collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(size: str, workers: int, name: str):
    """gunicorn serving the product with its production settings; yields (base URL, access log).
    The access log records each request's own time in microseconds: the server-side latency."""
    port = free_port()
    access = OUT / f"{name}-access.log"
    access.unlink(missing_ok=True)
    command = [
        PYTHON, "-m", "gunicorn", "dvpp.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--access-logfile", str(access),
        # The benchmark's own request number, so each time is matched to the request it timed.
        "--access-logformat", "%(m)s %(U)s %(s)s %(D)s %({x-benchmark-id}i)s",
        "--error-logfile", str(OUT / f"{name}-error.log"),
        # Its own run only: no control socket shared with another gunicorn of this user.
        "--no-control-socket",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=environment(size))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/accounts/login/", timeout=30)
                break
            except requests.RequestException:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn stopped: see {OUT / f'{name}-error.log'}") from None
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer in a minute.")
        yield base, access
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB of memory"
    with _connect().cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; Python {sys.version.split()[0]}; "
        f"PostgreSQL {postgres}"
    )
