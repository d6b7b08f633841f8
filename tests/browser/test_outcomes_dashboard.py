"""A manager opens the outcomes dashboard, filters by group and downloads the XLSX."""

import datetime
import io

import openpyxl
from django.utils import timezone
from playwright.sync_api import expect

from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from sessions.models import Enrolment
from tests.factories import TEST_PASSWORD
from tests.outcomes.conftest import mirabal_cohort, survey  # noqa: F401 - fixtures


def test_manager_filters_the_dashboard_by_group_and_downloads_the_xlsx(
    page,
    sign_in,
    org_a,
    mirabal_cohort,  # noqa: F811
):
    today = timezone.localdate()
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme_install_standard(org_a.organisation),
            "name": "Tuesday",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Room",
            "weekday": today.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": today,
            "capacity": 40,
            "intake": "rolling",
        },
    )
    first = group.sessions.order_by("date").first()
    for woman in mirabal_cohort[:20]:
        Enrolment.objects.create(
            organisation=org_a.organisation,
            participant=woman.participant,
            group=group,
            first_session=first,
            state="finished",
        )

    sign_in(org_a.manager.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Outcomes").click()
    table = page.get_by_test_id("paired-table")
    expect(table.locator('[data-measure="injured"]')).to_contain_text("61%")
    expect(page.locator("#paired-chart")).to_be_visible()
    # The vendored chart library loads (deferred) and draws.
    page.wait_for_function("typeof window.Chart === 'function'")

    filters = page.get_by_test_id("outcome-filters")
    filters.get_by_label("Group").select_option(label="Tuesday")
    filters.get_by_role("button", name="Show").click()
    expect(table.locator('[data-measure="injured"]')).to_contain_text("20")

    page.get_by_test_id("downloads").get_by_role("link", name="XLSX").click()
    # A file is leaving the system: the password is asked for once more, then it downloads.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    data = open(download.value.path(), "rb").read()  # noqa: SIM115
    rows = {
        row[0]: row
        for row in openpyxl.load_workbook(io.BytesIO(data))
        .worksheets[0]
        .iter_rows(values_only=True)
    }
    assert rows["Physically injured"][1] == 20
