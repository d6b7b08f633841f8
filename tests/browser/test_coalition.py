"""A coalition analyst opens the coalition's figures and downloads the XLSX."""

import io

import openpyxl
from playwright.sync_api import expect

from coalition.models import Membership
from outcomes.services import snapshot_build
from tests.factories import TEST_PASSWORD, ParticipantFactory, ReferralFactory


def test_analyst_opens_the_coalition_figures_and_downloads_the_xlsx(page, sign_in, org_a, org_b):
    coalition = org_a.coalition_analyst.coalition
    Membership.objects.filter(organisation=org_a.organisation).update(shown_by_name=True)
    Membership.objects.create(coalition=coalition, organisation=org_b.organisation)
    for org, count in ((org_a, 12), (org_b, 7)):
        for _n in range(count):
            ReferralFactory(participant=ParticipantFactory(organisation=org.organisation))
        snapshot_build(organisation=org.organisation)

    sign_in(org_a.coalition_analyst.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Coalition figures").click()
    expect(page.get_by_role("heading", name="Coalition figures")).to_be_visible()
    table = page.get_by_test_id("coalition-table").filter(has_text="Referrals")
    # Org A consented to be named, but with one other member that would name B too: letters.
    expect(table.locator("thead")).to_contain_text("Organisation A")
    expect(table.locator("thead")).to_contain_text("Organisation B")
    expect(table.locator("tr", has_text="Referrals").first).to_contain_text("19")

    page.get_by_test_id("downloads").get_by_role("link", name="XLSX").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    data = open(download.value.path(), "rb").read()  # noqa: SIM115
    rows = [
        [cell for cell in row if cell is not None]
        for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    referrals = next(row for row in rows if row and row[0] == "Referrals")
    assert sorted(referrals[1:3]) == ["12", "7"] and referrals[3] == "19"
    assert ["Figure", "Organisation A", "Organisation B", "Coalition"] in rows
