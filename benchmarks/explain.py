"""Run inside Django against a benchmark database: open every page of the benchmark with
Django's test client, capture its SQL, and ask PostgreSQL how it would run each statement.

A sequential scan of a table with more than ``--rows`` rows on a page is reported: it grows with
the installation. ``--strict`` (CI's short run, on small data where a scan is often cheaper) first
turns sequential scans off, so a scan left in a plan means no index can serve that query at all.
Writes are rolled back. Prints JSON.
"""

import argparse
import json
import sys
import time

import django

STATEMENTS = ("SELECT", "UPDATE", "DELETE", "WITH")
REPEAT = 15  # requests per page for the breakdown of its time


class Clock:
    """Where a request's time goes, in this process: in the database (each statement's round
    trip), in templates (less the statements run while rendering), and the rest of Python."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.sql = self.templates = self.sql_in_templates = 0.0
        self.depth = 0

    def statement(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            if self.depth:
                self.sql_in_templates += spent

    def wrap_templates(self):
        from django.template.backends.django import Template

        render = Template.render
        clock = self

        def timed(template, context=None, request=None):
            clock.depth += 1
            started = time.perf_counter()
            try:
                return render(template, context, request)
            finally:
                clock.depth -= 1
                if not clock.depth:
                    clock.templates += time.perf_counter() - started

        Template.render = timed


def breakdown(send, connection, transaction) -> dict[str, float]:
    """Median milliseconds of ``REPEAT`` requests: total, SQL, templates, other Python."""
    import statistics

    runs = []
    for _ in range(REPEAT):
        CLOCK.reset()
        with transaction.atomic(), connection.execute_wrapper(CLOCK.statement):
            started = time.perf_counter()
            send()
            total = time.perf_counter() - started
            transaction.set_rollback(True)
        templates = CLOCK.templates - CLOCK.sql_in_templates
        runs.append((total, CLOCK.sql, templates, total - CLOCK.sql - templates))
    return {
        name: statistics.median(run[index] for run in runs) * 1000
        for index, name in enumerate(("total", "sql", "templates", "python"))
    }


CLOCK = Clock()


def scans(plan: dict, big: dict[str, float], found: list) -> list:
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in big:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        scans(child, big, found)
    return found


def signed_in(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dvpp.reauth import SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
    session[SESSION_KEY] = time.time()
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--rows", type=int, default=10_000)
    options = parser.parse_args()
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from dvpp.models import User

    from .prepare import page_targets
    from .run import pages

    rows = 1_000 if options.strict else options.rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [rows],
        )
        big = dict(cursor.fetchall())
    targets = page_targets()
    clients = {
        name: signed_in(User.objects.get(username=account["username"]))
        for name, account in targets["accounts"].items()
    }
    report, failures = {}, []
    CLOCK.wrap_templates()
    for page in pages(targets):
        client = clients[page.account]
        headers = {"HX-Request": "true"} if page.htmx else {}
        language = "ru" if page.account.startswith("ru-") else "en-GB"

        def send(client=client, page=page, headers=headers, language=language):
            if page.method == "GET":
                return client.get(page.path, headers=headers, HTTP_ACCEPT_LANGUAGE=language)
            return client.post(page.path, page.form(), headers=headers)

        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            response = send()
            transaction.set_rollback(True)
        # Copied now: every request the test client sends clears the connection's query log.
        statements = list(captured.captured_queries)
        time_spent = breakdown(send, connection, transaction)
        if response.status_code not in (200, 302):
            failures.append(f"EXPLAIN: {page.name} answered {response.status_code}.")
        found = []
        with connection.cursor() as cursor:
            if options.strict:
                cursor.execute("SET enable_seqscan = off")
            for query in statements:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(STATEMENTS):
                    continue
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                found.extend(scans(plan[0]["Plan"], big, []))
            cursor.execute("RESET enable_seqscan")
        report[page.name] = {
            "time": time_spent,
            "queries": len(statements),
            "seq_scans": sorted({table: int(big[table]) for table in found}.items()),
        }
        if found:
            failures.append(
                f"EXPLAIN: {page.name} scans {', '.join(sorted(set(found)))} sequentially."
            )
    json.dump({"pages": report, "failures": failures, "threshold": rows}, sys.stdout)


if __name__ == "__main__":
    main()
