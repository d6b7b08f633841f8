"""The user guide's screenshots, taken from the running app with the demo data, in English and
Russian.

Every test run walks the guide's steps and takes the pictures into test-results/guide/ (ignored
by git), so a test run leaves the working tree as it found it. ``scripts/screenshots`` runs this
file with DVPP_GUIDE_SCREENSHOTS=1, which writes them into docs/guide/img to be committed.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dvpp.demo import DEMO_PASSWORD, seed_all
from participants.models import Participant
from partners.models import Partner

ROOT = Path(__file__).resolve().parents[2]
IMAGES = (
    ROOT / "docs" / "guide" / "img"
    if os.environ.get("DVPP_GUIDE_SCREENSHOTS") == "1"
    else ROOT / "test-results" / "guide"
)
PREFIX = {"en": "demo", "ru": "ru"}


def shot(page, language: str, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"{language}-{name}.png"), full_page=False)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_guide_screenshots(page, sign_in, live_server, language):
    seed_all()
    prefix = PREFIX[language]

    def as_(role: str, username: str = "") -> None:
        """Sign in (the sign-in steps are driven in English), then work in ``language``."""
        page.context.clear_cookies()
        sign_in(username or f"{prefix}-{role}", DEMO_PASSWORD)
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", language)

    # The facilitator: the week, today's register, a man's case.
    as_("facilitator")
    shot(page, language, "facilitator-home")
    today = page.get_by_test_id("home-sessions-today").get_by_role("link")
    if today.count():
        today.first.click()
        expect(page.get_by_test_id("register-row").first).to_be_visible()
        shot(page, language, "facilitator-register")
    organisation = "demo" if language == "en" else "demo-ru"
    man = Participant.objects.filter(organisation__slug=organisation, status="in_programme").first()
    page.goto(f"/cases/{man.public_id}/")
    expect(page.get_by_test_id("case-summary")).to_be_visible()
    shot(page, language, "facilitator-case")

    # The partner support worker: her list, one woman's record.
    as_("iss")
    page.goto("/partners/")
    shot(page, language, "partner-support-list")
    partner = Partner.objects.filter(organisation__slug=organisation).first()
    page.goto(f"/partners/{partner.public_id}/")
    expect(page.get_by_test_id("checkins")).to_be_visible()
    shot(page, language, "partner-support-record")

    # The manager: the outcomes dashboard, the audit log.
    as_("manager")
    page.goto("/outcomes/")
    page.wait_for_load_state("networkidle")
    shot(page, language, "manager-outcomes")
    page.goto("/evidence/")
    expect(page.get_by_test_id("table-reduction")).to_be_visible()
    shot(page, language, "manager-evidence")
    page.goto("/audit/")
    shot(page, language, "manager-audit-log")

    # The coalition's analyst: the members' figures side by side.
    as_("analyst", "demo-analyst")
    page.goto("/coalition/")
    expect(page.get_by_test_id("coalition-table").first).to_be_visible()
    shot(page, language, "coalition-analyst-figures")
