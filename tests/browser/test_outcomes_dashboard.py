"""A manager opens the outcomes dashboard, filters by group and downloads the XLSX."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from sessions.models import Enrolment
from tests.factories import TEST_PASSWORD, ParticipantFactory, ReferralFactory
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


@pytest.mark.parametrize("page", [{"width": 1024, "height": 768}], indirect=True)
def test_the_charts_have_titles_every_month_and_nothing_cut_off_in_russian(
    page,
    sign_in,
    org_a,
    mirabal_cohort,  # noqa: F811
):
    today = timezone.localdate()
    long_ago = (today.replace(day=1) - datetime.timedelta(days=200)).replace(day=1)
    ReferralFactory(
        participant=ParticipantFactory(organisation=org_a.organisation),
        made_on=long_ago,
        received_on=long_ago,
    )
    sign_in(org_a.manager.username)
    page.get_by_test_id("language-switcher").get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.goto("/outcomes/")
    page.wait_for_function("window.Chart && Chart.getChart('referrals-chart')")
    drawn = page.evaluate(
        """() => ['paired-chart', 'referrals-chart'].map((id) => {
            const chart = Chart.getChart(id);
            const y = chart.scales.y;
            return {
                title: [].concat(chart.options.plugins.title.text).join(' '),
                shown: chart.options.plugins.title.display,
                labels: chart.data.labels.length,
                values: chart.data.datasets[0].data,
                canvas: chart.canvas.getBoundingClientRect().width,
                box: chart.canvas.parentElement.getBoundingClientRect().width,
                left: chart.chartArea.left,
                right: chart.chartArea.right,
                axisWidth: y.width,
                widestLabel: y._labelSizes ? y._labelSizes.widest.width : 0,
            };
        })"""
    )
    paired, referrals = drawn
    assert paired["shown"] and paired["title"].startswith("До и после")
    assert referrals["shown"] and referrals["title"] == "Направления по месяцам"
    # Every month from the first referral to this one, the empty ones at zero.
    assert referrals["labels"] >= 7 and 0 in referrals["values"]
    for chart in drawn:
        assert chart["canvas"] <= chart["box"] + 1
        assert 0 < chart["left"] < chart["right"] <= chart["canvas"] + 1
        assert chart["widestLabel"] <= chart["axisWidth"]
    # The dashboard's own content (tables and charts) is no wider than the window.
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('main section, main form, main table')]
            .map((element) => element.getBoundingClientRect().right))"""
    )
    assert widest <= 1024, widest
