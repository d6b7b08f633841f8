"""A facilitator opens today's session on a phone and marks a full register."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Status
from sessions import services
from sessions.curriculum import programme_install_standard
from sessions.models import Attendance
from tests.factories import ParticipantFactory, ReferralFactory

OUTCOMES = ["Present", "Late", "Authorised absence", "Unauthorised absence"]


@pytest.fixture
def todays_group(org_a):
    today = timezone.localdate()
    group = services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme_install_standard(org_a.organisation),
            "name": "Evening group",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Room 2",
            "weekday": today.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": today - datetime.timedelta(weeks=5),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    first = group.sessions.order_by("date").first()
    for _ in range(12):
        man = ParticipantFactory(organisation=org_a.organisation, status=Status.WAITING_LIST)
        ReferralFactory(participant=man)
        services.enrolment_allocate(
            participant=man, group=group, by=org_a.manager, first_session=first
        )
    return group


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
def test_facilitator_marks_a_full_register_on_a_phone(page, sign_in, org_a, todays_group):
    sign_in(org_a.facilitator.username)
    # Today's session is on his home page, one tap away.
    page.get_by_test_id("home-sessions-today").get_by_role("link").click()

    rows = page.get_by_test_id("register-row")
    expect(rows).to_have_count(12)
    expected = {}
    for index in range(12):
        row = rows.nth(index)
        outcome = OUTCOMES[index % 4]
        row.get_by_role("button", name=outcome, exact=True).click()
        expect(row.get_by_test_id("mark")).to_have_text(outcome)
        expected[row.get_attribute("data-man")] = outcome
    # A second tap on the same man changes his mark and makes no second record.
    rows.nth(0).get_by_role("button", name="Late", exact=True).click()
    expect(rows.nth(0).get_by_test_id("mark")).to_have_text("Late")
    expected[rows.nth(0).get_attribute("data-man")] = "Late"

    page.reload()
    rows = page.get_by_test_id("register-row")
    for index in range(12):
        row = rows.nth(index)
        expect(row.get_by_test_id("mark")).to_have_text(expected[row.get_attribute("data-man")])
    assert Attendance.objects.count() == 12
    # The buttons are big enough to tap on a phone, and a man and his four buttons share a line.
    first = rows.nth(0)
    boxes = [first.get_by_role("button", name=o, exact=True).bounding_box() for o in OUTCOMES]
    assert all(box["height"] >= 44 and box["width"] >= 44 for box in boxes)
    name = first.locator(".register-name").bounding_box()
    assert all(abs(box["y"] - boxes[0]["y"]) < 2 for box in boxes)
    assert (
        name["y"] < boxes[0]["y"] + boxes[0]["height"]
        and boxes[0]["y"] < name["y"] + name["height"]
    ), (name, boxes, first.bounding_box())
    # The register counts its rows.
    expect(page.get_by_test_id("register-count")).to_have_text("12 of 12 marked")


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
def test_a_lost_connection_is_shown_on_the_row(page, sign_in, org_a, todays_group):
    sign_in(org_a.facilitator.username)
    session = todays_group.sessions.get(date=timezone.localdate())
    page.goto(f"/groups/sessions/{session.public_id}/")
    page.route("**/mark/", lambda route: route.abort())
    row = page.get_by_test_id("register-row").first
    row.get_by_role("button", name="Present", exact=True).click()
    expect(row.get_by_text("Not saved: the connection failed. Tap again.")).to_be_visible()
    assert not Attendance.objects.exists()
    page.unroute("**/mark/")
    row.get_by_role("button", name="Present", exact=True).click()
    expect(row.get_by_test_id("mark")).to_have_text("Present")
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
def test_a_note_typed_after_the_tap_is_saved_and_all_present_marks_the_rest(
    page, sign_in, org_a, todays_group
):
    sign_in(org_a.facilitator.username)
    session = todays_group.sessions.get(date=timezone.localdate())
    page.goto(f"/groups/sessions/{session.public_id}/")
    row = page.get_by_test_id("register-row").first
    row.get_by_role("button", name="Late", exact=True).click()
    expect(row.get_by_test_id("mark")).to_have_text("Late")
    expect(page.get_by_test_id("register-count")).to_have_text("1 of 12 marked")
    note = row.get_by_role("textbox")
    note.fill("Came in at 18:20")
    expect(row.get_by_test_id("note-state")).to_have_text("Note saved")
    assert Attendance.objects.get().note == "Came in at 18:20"
    # Enter in a note saves it and does not mark him present.
    note.fill("Came in at 18:25")
    note.press("Enter")
    expect(row.get_by_test_id("note-state")).to_have_text("Note saved")
    mark = Attendance.objects.get()
    assert (mark.outcome, mark.note) == ("late", "Came in at 18:25")

    page.get_by_test_id("all-present").click()
    expect(page.get_by_test_id("register-count")).to_have_text("12 of 12 marked")
    expect(page.get_by_test_id("all-present")).to_have_count(0)
    rows = page.get_by_test_id("register-row")
    expect(rows.first.get_by_test_id("mark")).to_have_text("Late")
    expect(rows.nth(1).get_by_test_id("mark")).to_have_text("Present")
    assert Attendance.objects.filter(outcome="present").count() == 11
