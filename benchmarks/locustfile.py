"""The load test's people (run by ``benchmarks.load``, never against a real service):
facilitators marking registers, partner support workers saving check-ins and managers opening
the dashboard, at once, each signed in as their own account with both factors.

Nobody starts work until everyone has signed in; the statistics are reset at that moment, so
they show the working evening, not the sign-in. The counts come from ``LOAD_FACILITATORS``,
``LOAD_WORKERS`` and ``LOAD_MANAGERS``; the accounts and what each may touch from the JSON file
in ``LOAD_TARGETS``. Every mark and check-in answered as saved is written to ``LOAD_JOURNAL``
for the check against the database afterwards.
"""

import datetime
import itertools
import json
import os
import random
import sys
import uuid
from pathlib import Path

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.client import sign_in
from benchmarks.harness import PASSWORD

TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text())
COUNTS = {
    "facilitators": int(os.environ.get("LOAD_FACILITATORS", "60")),
    "workers": int(os.environ.get("LOAD_WORKERS", "30")),
    "managers": int(os.environ.get("LOAD_MANAGERS", "10")),
}
STEADY = float(os.environ.get("LOAD_SECONDS", "120"))
ACCOUNTS = {kind: iter(TARGETS[kind][: COUNTS[kind]]) for kind in COUNTS}
for kind, count in COUNTS.items():
    if count > len(TARGETS[kind]):
        raise SystemExit(f"{count} {kind} asked for, {len(TARGETS[kind])} accounts prepared.")
EVERYONE = sum(COUNTS.values())
signed_in: list[str] = []
everyone_in = Event()
journal: dict[str, list] = {"marks": [], "checkins": [], "double_taps": 0}


@events.test_stop.add_listener
def write_journal(environment, **_kwargs) -> None:
    Path(os.environ["LOAD_JOURNAL"]).write_text(json.dumps(journal))


class Person(HttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.account = next(ACCOUNTS[self.kind])
        try:
            sign_in(self.client, self.host, self.account["username"], PASSWORD, self.account["key"])
        finally:  # one that failed to sign in must not keep the others waiting
            signed_in.append(self.account["username"])
        self.token = self.client.cookies.get("csrftoken")
        if len(signed_in) == EVERYONE:
            self.environment.runner.stats.reset_all()
            everyone_in.set()
            gevent.spawn_later(STEADY, self.environment.runner.quit)
        everyone_in.wait()


class Facilitator(Person):
    """Opens a register, then marks each man as he arrives; starts again when all are in."""

    kind = "facilitators"
    fixed_count = COUNTS["facilitators"]
    wait_time = between(1, 4)

    def on_start(self) -> None:
        super().on_start()
        self.taps = itertools.cycle(
            [(s["id"], man) for s in self.account["sessions"] for man in s["men"]]
        )

    @task(8)
    def mark(self) -> None:
        session, man = next(self.taps)
        outcome = random.choices(["present", "late", "authorised", "unauthorised"], [85, 8, 5, 2])[
            0
        ]
        with self.client.post(
            f"/groups/sessions/{session}/mark/",
            data={"participant": man, "outcome": outcome, "note": ""},
            headers={"HX-Request": "true", "X-CSRFToken": self.token},
            name="register mark (htmx POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and man in response.text:
                journal["marks"].append([session, man, outcome])
            else:
                response.failure(f"mark answered {response.status_code}")

    @task(1)
    def register(self) -> None:
        session = random.choice(self.account["sessions"])["id"]
        self.client.get(f"/groups/sessions/{session}/", name="register")

    @task(1)
    def today(self) -> None:
        self.client.get("/groups/today/", name="today")


class PartnerWorker(Person):
    """Opens a woman's page, then records the check-in; one in ten taps save twice."""

    kind = "workers"
    fixed_count = COUNTS["workers"]
    wait_time = between(3, 10)

    @task
    def checkin(self) -> None:
        partner = random.choice(self.account["partners"])
        self.client.get(f"/partners/{partner}/", name="partner page")
        today = datetime.date.fromisoformat(TARGETS["today"])
        form = {
            "submission_key": str(uuid.uuid4()),
            "on": today.isoformat(),
            "method": random.choice(["call", "text", "in_person"]),
            "feels_safe": random.choice(["very", "fairly", "not_very"]),
            "risk_level_after": random.choice(["low", "medium", "high"]),
            # A worker who lowers her risk confirms it and says why (ignored when it is not lower).
            "confirm_lower": "on",
            "lower_reason": "The injunction holds and he has moved away.",
            "next_due": (today + datetime.timedelta(days=14)).isoformat(),
            "actions": "Went through the safety plan; next call in two weeks.",
        }
        taps = 2 if random.random() < 0.1 else 1
        for _ in range(taps):
            with self.client.post(
                f"/partners/{partner}/checkins/",
                data=form,
                headers={"X-CSRFToken": self.token},
                name="check-in (POST)",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"check-in answered {response.status_code}")
                    return
        journal["checkins"].append([partner, form["submission_key"]])
        journal["double_taps"] += taps - 1


class Manager(Person):
    kind = "managers"
    fixed_count = COUNTS["managers"]
    wait_time = between(5, 15)

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/outcomes/", name="dashboard")

    @task(1)
    def evidence(self) -> None:
        self.client.get("/evidence/", name='"Did it work?" report')

    @task(1)
    def cases(self) -> None:
        self.client.get("/cases/", name="case list")
