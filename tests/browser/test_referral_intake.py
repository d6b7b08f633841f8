"""A facilitator takes a referral from intake to the waiting list, in the browser."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Participant, Status


def field(form, label):
    """A form field by its visible label; required fields' labels end with an asterisk."""
    return form.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_facilitator_takes_a_referral_from_intake_to_the_waiting_list(page, sign_in, org_a):
    today = timezone.localdate()
    sign_in(org_a.facilitator.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="New referral").click()

    form = page.get_by_test_id("intake-form")
    field(form, "Surname").fill("Семёнов")
    field(form, "Given name").fill("Пётр")
    field(form, "Patronymic").fill("Ильич")
    field(form, "Date of birth").fill("1985-04-12")
    field(form, "Source").select_option(label="Court order")
    field(form, "Referring organisation").fill("Magistrates' Court")
    field(form, "Referral made on").fill((today - datetime.timedelta(days=2)).isoformat())
    field(form, "Received on").fill(today.isoformat())
    field(form, "Reason for referral").fill("Assault on partner.")
    form.get_by_role("button", name="Open case").click()

    expect(page.get_by_text("Case 00001 opened")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_contain_text("Referred")

    appointment = page.get_by_test_id("appointment-form")
    field(appointment, "Date").fill(today.isoformat())
    field(appointment, "Attended").select_option(label="Yes")
    field(appointment, "Assessor").select_option(label=str(org_a.facilitator))
    appointment.get_by_role("button", name="Record appointment").click()
    expect(page.get_by_test_id("case-status")).to_contain_text("In assessment")

    decision = page.get_by_test_id("decision-form")
    field(decision, "Outcome").select_option(label="Suitable")
    field(decision, "Risk level").select_option(label="Medium")
    field(decision, "Partner details passed to partner support on").fill(today.isoformat())
    field(decision, "Decided on").fill(today.isoformat())
    decision.get_by_role("button", name="Record outcome").click()

    expect(page.get_by_test_id("case-status")).to_contain_text("Suitable: waiting list")
    expect(page.get_by_test_id("case-risk")).to_contain_text("Medium")
    history = page.get_by_test_id("case-history")
    expect(history.get_by_role("listitem")).to_have_count(3)

    participant = Participant.objects.get()
    assert participant.status == Status.WAITING_LIST
    page.goto("/cases/?q=семенов")
    expect(page.get_by_test_id("case-table").get_by_role("link")).to_have_text(
        ["Пётр Ильич Семёнов"]
    )
