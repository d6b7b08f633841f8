"""The benchmark of issue 14: each key page's server-side latency on the tiny, small and large
data sets, as ratios to the trivial view and to each other, and the nightly tasks' times.

    python -m benchmarks            # the full run: writes docs/benchmarks.md (about 5 minutes,
                                    # and a few more the first time, to build the data)
    python -m benchmarks --quick    # CI's short run on tiny and small data: benchmarks/out/

See docs/benchmarks.md for what is measured and how to read it.
"""

import argparse
import datetime
import itertools
import json
import statistics
import time
import uuid
from dataclasses import dataclass, field

import requests

from . import harness
from .client import sign_in
from .harness import say


@dataclass(frozen=True)
class Page:
    name: str
    account: str
    path: str
    form: object = None  # a callable giving the POST data, or None for a GET
    htmx: bool = False
    target: tuple[float, str] = (3.0, "trivial")  # within 3x the trivial view

    @property
    def method(self) -> str:
        return "POST" if self.form else "GET"


def pages(t: dict) -> list[Page]:
    men = itertools.cycle(t["register"])
    outcomes = itertools.cycle(["present", "late"])
    today = datetime.date.fromisoformat(t["today"])

    def mark() -> dict:
        return {"participant": next(men), "outcome": next(outcomes), "note": ""}

    def checkin() -> dict:
        key = str(uuid.uuid4())
        t.setdefault("checkins", []).append([t["partner"], key])
        return {
            "submission_key": key,
            "on": today.isoformat(),
            "method": "call",
            "feels_safe": "fairly",
            "risk_level_after": "medium",
            "next_due": (today + datetime.timedelta(days=14)).isoformat(),
            "actions": "Talked through the safety plan; she will call back next week.",
        }

    return [
        Page("trivial view", "manager", "/benchmark/trivial/", target=(1.0, "trivial")),
        Page("case list", "manager", "/cases/"),
        Page("case search (Latin)", "manager", f"/cases/?q={t['latin']}"),
        Page("case search (Cyrillic)", "ru-manager", f"/cases/?q={t['cyrillic']}"),
        Page("case page", "facilitator", f"/cases/{t['man']}/"),
        Page("today", "facilitator", "/groups/today/"),
        Page("register", "facilitator", f"/groups/sessions/{t['session']}/"),
        Page(
            "register mark (htmx POST)",
            "facilitator",
            f"/groups/sessions/{t['session']}/mark/",
            form=mark,
            htmx=True,
            target=(2.0, "trivial"),
        ),
        Page("partner list", "iss", "/partners/"),
        Page("partner page", "iss", f"/partners/{t['partner']}/"),
        Page("check-in form", "iss", f"/partners/{t['partner']}/checkins/"),
        Page("check-in (POST)", "iss", f"/partners/{t['partner']}/checkins/", form=checkin),
        Page("dashboard", "manager", "/outcomes/"),
        Page(
            "dashboard, filtered",
            "manager",
            f"/outcomes/?{t['filters']}",
        ),
        Page('"Did it work?" report', "manager", "/evidence/"),
        Page("before/after table, CSV", "manager", "/outcomes/export.csv"),
    ]


@dataclass
class Timing:
    server_ms: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.server_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.server_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _sessions(base: str, accounts: dict) -> dict[str, requests.Session]:
    signed_in = {}
    for name, account in accounts.items():
        session = requests.Session()
        session.headers["Accept-Language"] = "ru" if name.startswith("ru-") else "en-GB"
        signed_in[name] = sign_in(
            session, base, account["username"], harness.PASSWORD, account["key"]
        )
    return signed_in


def _send(sessions, base, page: Page, tokens: dict, number: int) -> requests.Response:
    session = sessions[page.account]
    headers = {"X-Benchmark-Id": str(number)}
    if page.method == "GET":
        return session.get(base + page.path, headers=headers, allow_redirects=False)
    headers["X-CSRFToken"] = tokens[page.account]
    if page.htmx:
        headers["HX-Request"] = "true"
    return session.post(base + page.path, data=page.form(), headers=headers, allow_redirects=False)


def measure(size: str, rounds: int, workers: int) -> dict[str, Timing]:
    """Every page ``rounds`` times, in turn (so drift falls on all alike), after three warm-up
    rounds; each request's time as gunicorn logged it."""
    targets = harness.python_module(size, "benchmarks.prepare")
    listed = pages(targets)
    with harness.gunicorn(size, workers, f"bench-{size}") as (base, access):
        sessions = _sessions(base, targets["accounts"])
        tokens = {name: session.cookies.get("csrftoken") for name, session in sessions.items()}
        sent: list[tuple[Page, bool]] = []
        for round_number in range(3 + rounds):
            for page in listed:
                response = _send(sessions, base, page, tokens, len(sent))
                expected = 302 if page.name == "check-in (POST)" else 200
                if response.status_code != expected:
                    raise SystemExit(
                        f"{size}: {page.name} answered {response.status_code}, not {expected}."
                    )
                sent.append((page, round_number >= 3))
        time.sleep(1)  # the last access-log lines
        # Each line ends with the number the request was sent with ("-" for the sign-in's).
        logged = {
            fields[4]: fields[:4]
            for fields in (line.split() for line in access.read_text().splitlines())
            if len(fields) == 5 and fields[4] != "-"
        }
    journal = harness.OUT / f"bench-{size}-journal.json"
    journal.write_text(json.dumps({"marks": [], "checkins": targets["checkins"], "double_taps": 0}))
    saved = harness.python_module(size, "benchmarks.verify", str(journal))
    if saved["check-ins missing"] or saved["check-ins duplicated"]:
        raise SystemExit(f"{size}: the check-ins sent were not saved once each: {saved}")
    timings = {page.name: Timing() for page in listed}
    for number, (page, counted) in enumerate(sent):
        if str(number) not in logged:
            raise SystemExit(f"{size}: gunicorn logged no time for request {number} ({page.name}).")
        method, path, status, micros = logged[str(number)]
        if method != page.method or path != page.path.split("?")[0]:
            raise SystemExit(f"The access log does not match request {number}: {method} {path}.")
        if counted:
            timings[page.name].server_ms.append(int(micros) / 1000)
            timings[page.name].statuses.add(int(status))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI's short run on tiny and small.")
    parser.add_argument("--rounds", type=int, help="Requests per page (default 40; quick 5).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (as deployed).")
    parser.add_argument("--fresh", action="store_true", help="Build the data sets again.")
    parser.add_argument("--no-load", action="store_true", help="Leave out the load test.")
    parser.add_argument("--load-only", action="store_true", help="Only the load test.")
    parser.add_argument("--output", help="Markdown report (default docs/benchmarks.md).")
    options = parser.parse_args()
    # Tiny and small differ in cases per organisation (100 and 1,000), small and large in
    # organisations (2 and 20): the first ratio shows growth within an organisation, the second
    # growth of the installation.
    sizes = ("tiny", "small") if options.quick else ("tiny", "small", "large")
    large = sizes[-1]
    rounds = options.rounds or (5 if options.quick else 40)
    output = options.output or (
        harness.OUT / "benchmarks.md" if options.quick else harness.ROOT / "docs/benchmarks.md"
    )
    if options.load_only:
        from . import load as load_test

        load_test.main(
            [
                *(["--quick"] if options.quick else []),
                *(["--fresh"] if options.fresh else []),
                *(["--workers", str(options.workers)] if options.workers != 3 else []),
            ]
        )
        return
    started = time.perf_counter()
    seeded = {size: harness.ensure_database(size, options.fresh) for size in sizes}
    harness.collect_static()
    results = {}
    for size in sizes:
        say(f"{size}: {rounds} rounds of every page")
        results[size] = measure(size, rounds, options.workers)
    say(f"{large}: the nightly tasks")
    tasks = harness.python_module(large, "benchmarks.tasks")
    say(f"{large}: EXPLAIN of every page's queries")
    strict = ["--strict"] if options.quick else []
    plans = harness.python_module(large, "benchmarks.explain", *strict)
    load = None
    if not options.no_load:
        from . import load as load_test

        load = load_test.run(large, quick=options.quick)
    from .report import write

    write(
        output,
        quick=options.quick,
        sizes=sizes,
        seeded=seeded,
        rounds=rounds,
        workers=options.workers,
        results=results,
        tasks=tasks,
        plans=plans,
        load=load,
        minutes=(time.perf_counter() - started) / 60,
    )
    say(f"Written {output}")
    failures = [*plans.get("failures", []), *(load or {}).get("failures", [])]
    if failures:
        raise SystemExit("\n".join(failures))


if __name__ == "__main__":
    main()
