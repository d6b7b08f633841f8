"""The load test of issue 14: a Monday evening of a large coalition, on loopback only.

    python -m benchmarks.load            # 100 people for two minutes, on the large data set
    python -m benchmarks.load --quick    # 14 people for 20 seconds, on the small data set

Locust (``benchmarks/locustfile.py``) plays facilitators marking registers, partner support
workers saving check-ins and managers opening the dashboard; gunicorn serves the product with
its production settings. Afterwards the database is asked whether every mark and check-in the
test was told was saved is there exactly once. ``python -m benchmarks`` runs it too.
"""

import argparse
import csv
import json
import statistics
import subprocess

from . import harness
from .harness import OUT, PYTHON, ROOT, say

PEOPLE = {"facilitators": 60, "workers": 30, "managers": 10}
QUICK_PEOPLE = {"facilitators": 8, "workers": 4, "managers": 2}
MARK_P95_MS = 250


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def run(size: str, quick: bool = False, seconds: int | None = None, workers: int = 5) -> dict:
    people = QUICK_PEOPLE if quick else PEOPLE
    seconds = seconds or (20 if quick else 120)
    say(f"{size}: load test, {sum(people.values())} people for {seconds} s")
    targets = OUT / f"load-{size}-targets.json"
    targets.write_text(json.dumps(harness.python_module(size, "benchmarks.prepare", "--load")))
    journal = OUT / f"load-{size}-journal.json"
    journal.unlink(missing_ok=True)
    stats = OUT / f"load-{size}"
    everyone = sum(people.values())
    with harness.gunicorn(size, workers, f"load-{size}") as (base, access):
        environment = {
            **harness.environment(size),
            "LOAD_TARGETS": str(targets),
            "LOAD_JOURNAL": str(journal),
            "LOAD_SECONDS": str(seconds),
            **{f"LOAD_{kind.upper()}": str(count) for kind, count in people.items()},
        }
        command = [
            PYTHON, "-m", "locust", "-f", str(ROOT / "benchmarks/locustfile.py"),
            "--headless", "--only-summary", "--loglevel", "WARNING",
            "--users", str(everyone), "--spawn-rate", "10", "--host", base,
            # The steady part ends itself; this bounds sign-in and a stuck run.
            "--run-time", f"{seconds + 240}s", "--stop-timeout", "15",
            "--csv", str(stats), "--exit-code-on-error", "0",
        ]  # fmt: skip
        finished = subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
        )
        (OUT / f"load-{size}.log").write_text(finished.stdout + finished.stderr)
        if finished.returncode or not journal.exists():
            raise SystemExit(f"locust failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
        marks_server = [
            int(line.split()[3]) / 1000
            for line in access.read_text().splitlines()
            if line.startswith("POST /groups/sessions/") and "/mark/" in line
        ]
    with (stats.parent / f"{stats.name}_stats.csv").open() as sheet:
        # The sign-in pages' rows are empty: their statistics were reset when all were in.
        rows = {row["Name"]: row for row in csv.DictReader(sheet) if row["Request Count"] != "0"}
    checked = harness.python_module(size, "benchmarks.verify", str(journal))
    total = rows.pop("Aggregated")
    result = {
        "size": size,
        "people": people,
        "seconds": seconds,
        "workers": workers,
        "requests": int(total["Request Count"]),
        "failures": [],
        "errors": int(total["Failure Count"]),
        "throughput": float(total["Requests/s"]),
        "pages": {
            name: {
                "count": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "median": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
            for name, row in rows.items()
        },
        "mark server median": statistics.median(marks_server) if marks_server else 0.0,
        "mark server p95": _percentile(marks_server, 0.95),
        "database": checked,
    }
    mark = result["pages"].get("register mark (htmx POST)", {})
    if result["errors"]:
        result["failures"].append(f"Load test: {result['errors']} requests failed.")
    for what in (
        "marks missing", "marks duplicated", "marks unexpected", "marks with another outcome",
        "check-ins missing", "check-ins duplicated", "check-ins on the wrong partner",
    ):  # fmt: skip
        if checked[what]:
            result["failures"].append(f"Load test: {checked[what]} {what}.")
    if not checked["men marked"] or not checked["check-ins sent"]:
        result["failures"].append("Load test: no mark or no check-in was sent.")
    if not quick and mark.get("p95", 0) > MARK_P95_MS:
        result["failures"].append(
            f"Load test: a register mark's 95th percentile is {mark['p95']:.0f} ms "
            f"(target {MARK_P95_MS} ms)."
        )
    say(
        f"{size}: {result['requests']} requests, {result['throughput']:.1f}/s, "
        f"{result['errors']} errors; marks p95 {mark.get('p95', 0):.0f} ms"
    )
    return result


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seconds", type=int, help="The working part (default 120; quick 20).")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers.")
    parser.add_argument("--fresh", action="store_true", help="Build the data set again.")
    options = parser.parse_args(arguments)
    size = "small" if options.quick else "large"
    harness.ensure_database(size, options.fresh)
    harness.collect_static()
    result = run(size, options.quick, options.seconds, options.workers)
    (OUT / f"load-{size}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if result["failures"]:
        raise SystemExit("\n".join(result["failures"]))


if __name__ == "__main__":
    main()
