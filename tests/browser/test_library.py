"""A manager imports a package from the coalition's library and generates a group schedule
from it."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.library.conftest import coalition, publish, shared, workshops  # noqa: F401 - fixtures


def field(form, label: str):
    """A form field by its label, which carries an asterisk when the field is required."""
    return form.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_a_manager_imports_a_package_and_generates_a_group_schedule_from_it(
    page,
    sign_in,
    org_a,
    org_b,
    shared,  # noqa: F811
    workshops,  # noqa: F811
):
    publish(org_a, workshops, shared, note="Two workshops for men cautioned by the police")
    today = timezone.localdate()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)

    sign_in(org_b.manager.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Programme library").click()
    expect(page.get_by_role("heading", name="Programme library")).to_be_visible()
    packages = page.get_by_test_id("package-table")
    expect(packages).to_contain_text("Organisation A")
    packages.get_by_role("link", name="Respectful relationships: two workshops").click()

    expect(page.get_by_test_id("change-note")).to_contain_text("cautioned by the police")
    expect(page.get_by_test_id("package-themes")).to_contain_text("Worksheet 2")
    page.get_by_role("button", name="Import into my organisation").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Imported as your organisation's own programme “Respectful relationships: two workshops”"
    )
    imported = page.get_by_test_id("imported-programme")
    expect(imported).to_contain_text("version 1")
    imported.get_by_role("link", name="New group on it").click()

    form = page.get_by_test_id("group-form")
    field(form, "Programme").select_option(label="Respectful relationships: two workshops")
    field(form, "Name").fill("Cautioned men")
    field(form, "Facilitator").select_option(label=str(org_b.facilitator))
    field(form, "Venue").fill("Community hall")
    field(form, "Weekday").select_option(label="Tuesday")
    field(form, "Start time").fill("18:00")
    field(form, "First session").fill(tuesday.isoformat())
    form.get_by_role("button", name="Create group").click()

    expect(page.get_by_role("heading", name="Cautioned men")).to_be_visible()
    schedule = page.get_by_test_id("schedule").get_by_role("listitem")
    expect(schedule).to_have_count(2)
    expect(schedule.nth(0)).to_contain_text("1. Workshop 1: what happened and its effects")
    expect(schedule.nth(1)).to_contain_text("2. Workshop 2: choosing not to be abusive")
