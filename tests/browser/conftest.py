"""Playwright driving Debian's Chromium against pytest-django's live server.

The browser is the system's (/usr/bin/chromium, or $CHROMIUM), never a downloaded build, and runs
headless with background networking off, as the closed network requires. A failing test leaves a
screenshot in test-results/.
"""

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import skip_or_fail
from tests.factories import TEST_PASSWORD
from tests.partners.conftest import man, partner  # noqa: F401 - fixtures for partner scenarios

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by fixtures
# in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
expect.set_options(timeout=15_000)
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class _OneAtATime:
    """On SQLite the live server's request threads and the test use one in-memory database (a
    shared cache, locked by table, not a server): a note saved by one request while the test
    reads the register, or two htmx requests at once, interleave there and fail under load
    ("cannot open savepoint - SQL statements in progress"). Each request holds this lock while
    it runs and each query of the test waits for it, so they take turns. PostgreSQL, with a
    connection each and row locks, needs none of this."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.RLock()

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    def query(self, execute, sql, params, many, context):
        with self.lock:
            return execute(sql, params, many, context)


@pytest.fixture
def _sqlite_in_turn(live_server):
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    server = live_server.thread.httpd
    if not isinstance(server.get_app(), _OneAtATime):
        server.set_app(_OneAtATime(server.get_app()))
    with connection.execute_wrapper(server.get_app().query):
        yield


@pytest.fixture
def page(request, browser, live_server, _sqlite_in_turn):
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    # Generous: CI runs these beside the rest of the suite on two cores. Pages answer in well
    # under a second on their own (the query-count tests pin that), so a wait here is contention.
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    # Any script or style the Content-Security-Policy blocks is a bug: it fails the test.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    assert not blocked, blocked
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    context.close()


def fresh_code(user) -> str:
    """A TOTP code for the user's app that has not been used yet (waits for the next one if the
    current code was, since a code is good once)."""
    from dvpp.two_factor import current_code, enrol_demo_user

    device = enrol_demo_user(user)
    device.refresh_from_db()
    while int(time.time() - device.t0) // device.step <= device.last_t:
        time.sleep(0.5)
    return current_code(device)


@pytest.fixture
def sign_in(page):
    """Sign in with the password, then a real TOTP code from the user's (known) secret."""

    def sign_in_as(username: str, password: str = TEST_PASSWORD, *, second_factor: bool = True):
        from dvpp.models import User

        code = fresh_code(User.objects.get(username=username)) if second_factor else None
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if code is None:
            return page
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()
        return page

    return sign_in_as
