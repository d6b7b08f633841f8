"""Signing in as an attacker would try it: a real TOTP code, five wrong passwords, a tablet left
alone past the idle limit."""

import time
from base64 import b32decode

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


def test_first_sign_in_sets_up_the_app_with_a_real_code_then_signs_in(page, org_a):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(org_a.partner_support.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    # Nothing of the site is offered before the second factor.
    expect(page.get_by_test_id("main-nav")).to_have_count(0)
    expect(page.locator(".qr-code svg")).to_be_visible()
    # What an authenticator app does with the key it was given.
    key = page.locator("code.user-select-all").inner_text().replace(" ", "")
    code = totp(b32decode(key), step=30, digits=6)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(
        page.get_by_test_id("main-nav").get_by_role("link", name="Partner support")
    ).to_be_visible()


def test_a_wrong_code_keeps_the_door_shut(page, org_a):
    from dvpp.two_factor import enrol_demo_user

    enrol_demo_user(org_a.manager)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(org_a.manager.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.goto("/outcomes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")


def test_five_wrong_passwords_lock_the_account(page, org_a):
    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(org_a.facilitator.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(org_a.facilitator.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign-in locked")
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}


def test_a_tablet_left_alone_is_signed_out(page, sign_in, org_a, settings):
    settings.SESSION_IDLE_MINUTES = 3 / 60  # three seconds, for the test
    sign_in(org_a.facilitator.username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    time.sleep(4)
    page.get_by_test_id("main-nav").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("You were signed out after a period without activity.")).to_be_visible()
