"""Every role's first steps in a real browser: sign in, see its own navigation, switch language."""

import pytest
from playwright.sync_api import expect

from dvpp.models import Role

NAV = {
    Role.FACILITATOR: ["Home", "Cases", "Groups"],
    Role.PARTNER_SUPPORT: ["Home", "Cases", "Partner support"],
    Role.MANAGER: [
        "Home",
        "Cases",
        "Groups",
        "Outcomes",
        "Did it work?",
        "Programme library",
        "Staff",
        "Audit log",
    ],
    Role.ADMINISTRATOR: ["Home", "Staff", "Administration"],
    Role.COALITION_ANALYST: ["Home", "Coalition figures"],
}
EVERY_ENTRY = {label for labels in NAV.values() for label in labels}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_sees_only_its_own_navigation(page, sign_in, org_a, role):
    user = org_a.for_role(role)
    sign_in(user.username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    nav = page.get_by_test_id("main-nav")
    links = nav.get_by_role("link")
    expect(links).to_have_text(NAV[role])
    for label in EVERY_ENTRY - set(NAV[role]):
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    # The vendored Bootstrap and htmx loaded: no CDN, nothing missing.
    page.wait_for_function("typeof window.bootstrap === 'object'")
    page.wait_for_function("typeof window.htmx === 'object'")


def test_wrong_password_shows_an_error_and_creates_no_session(page, sign_in, org_a):
    sign_in(org_a.facilitator.username, "not-the-password", second_factor=False)
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    page.goto("/")
    expect(page).to_have_url(page.url.split("/accounts")[0] + "/accounts/login/?next=/")


def test_language_switcher_turns_the_page_russian(page, sign_in, org_a):
    sign_in(org_a.partner_support.username)
    page.get_by_test_id("language-switcher").get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link")).to_have_text(["Главная", "Дела", "Поддержка партнёров"])
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
def test_facilitator_on_a_phone_opens_the_collapsed_navigation(page, sign_in, org_a):
    sign_in(org_a.facilitator.username)
    groups = page.get_by_test_id("main-nav").get_by_role("link", name="Groups")
    expect(groups).to_be_hidden()
    page.get_by_role("button", name="Show navigation").click()
    groups.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")


def test_signing_out_returns_to_sign_in(page, sign_in, org_a):
    sign_in(org_a.manager.username)
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    page.goto("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
