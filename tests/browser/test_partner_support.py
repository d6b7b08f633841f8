"""An ISS worker records a check-in that raises the risk; the facilitator then sees the flag on
the man's case, and cannot open her record."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from partners import services
from tests.partners.conftest import SECRETS


def field(form, label):
    return form.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_a_check_in_raising_risk_flags_the_mans_case_and_nothing_more(
    page, sign_in, org_a, man, partner
):
    services.contact_attempt_record(
        partner=partner,
        by=org_a.partner_support,
        at=timezone.now() - datetime.timedelta(days=10),
        method="call",
        outcome="reached",
    )
    today = timezone.localdate()
    sign_in(org_a.partner_support.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Partner support").click()
    page.get_by_test_id("partner-table").get_by_role("link", name=re.compile("Araminta")).click()

    form = page.get_by_test_id("checkin-form")
    field(form, "Date").fill(today.isoformat())
    form.get_by_label("Not very safe").check()
    form.get_by_label("Threats").check()
    form.get_by_label("Stalking or harassment").check()
    field(form, "What she said and actions taken").fill("He waited outside her work.")
    field(form, "Risk level after").select_option(label="High")
    field(form, "Next check-in due").fill((today + datetime.timedelta(days=7)).isoformat())
    form.get_by_role("button", name="Record check-in").click()
    expect(page.get_by_text("Check-in recorded.")).to_be_visible()
    expect(page.get_by_test_id("partner-risk")).to_have_text("High")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(org_a.facilitator.username)
    page.goto(f"/cases/{man.public_id}/")
    flag = page.get_by_test_id("risk-flag")
    expect(flag).to_contain_text("Heightened risk: speak to the partner support team.")
    body = page.content()
    for secret in [*SECRETS.values(), "waited outside", "Threats", "Stalking"]:
        assert secret not in body
    flag.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("risk-flag")).to_have_count(0)

    response = page.goto(f"/partners/{partner.public_id}/")
    assert response.status == 403
    assert SECRETS["last_name"] not in page.content()
