"""The register minutes before a group: a note typed before or after the tap, taps at once,
"All present", and "8 of 12 marked"."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dvpp.models import AuditEvent
from participants.models import Participant, Status, StatusChange
from sessions import selectors, services
from sessions.models import Attendance
from tests.conftest import skip_or_fail
from tests.sessions.conftest import scheduled

HX = {"HX-Request": "true"}


def _mark(client, session, man, outcome="present", note="", **headers):
    return client.post(
        reverse("group_sessions:mark", args=[session.public_id]),
        {"participant": str(man.public_id), "outcome": outcome, "note": note},
        headers=headers,
    )


def _note(client, session, man, note, **headers):
    return client.post(
        reverse("group_sessions:note", args=[session.public_id]),
        {"participant": str(man.public_id), "note": note},
        headers=headers,
    )


def _all_present(client, session, **headers):
    return client.post(
        reverse("group_sessions:all_present", args=[session.public_id]), headers=headers
    )


def _count_text(content: str) -> str:
    found = re.search(r'data-testid="register-count"[^>]*>([^<]*)<', content)
    assert found, "no count on the page"
    return found.group(1)


# --- the note --------------------------------------------------------------------------------


def test_a_note_typed_before_the_tap_is_saved_with_the_mark(client_for, org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    response = _mark(client_for(org_a.facilitator), session, man, "late", " Bus was late ", **HX)
    assert response.status_code == 200
    assert 'data-testid="note-state"' in response.content.decode()
    assert "Note saved" in response.content.decode()
    mark = Attendance.objects.get()
    assert (mark.outcome, mark.note) == ("late", "Bus was late")


def test_a_note_typed_after_the_tap_is_saved_and_the_mark_stays(client_for, org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    _mark(client, session, man, "late", **HX)
    marked_at = Attendance.objects.get().marked_at
    response = _note(client, session, man, "Came in at 18:20", **HX)
    assert response.status_code == 200
    assert "Note saved" in response.content.decode()
    mark = Attendance.objects.get()
    assert (mark.outcome, mark.note, mark.marked_at) == ("late", "Came in at 18:20", marked_at)
    assert AuditEvent.objects.filter(what__startswith="attendance note").count() == 1


def test_a_note_alone_on_a_man_not_yet_marked_says_it_is_not_saved(client_for, org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    response = _note(client_for(org_a.facilitator), session, man, "Phoned ahead", **HX)
    assert response.status_code == 422
    assert "Not saved yet: tap his mark" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_note_alone_without_javascript_saves_and_returns_to_the_register(
    client_for, org_a, placed
):
    group, (man,) = placed()
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    _mark(client, session, man, "present")
    response = _note(client, session, man, "Quiet tonight")
    assert response["Location"] == reverse("group_sessions:register", args=[session.public_id])
    assert Attendance.objects.get().note == "Quiet tonight"
    page = client.get(response["Location"]).content.decode()
    assert "Note saved for" in page and 'value="Quiet tonight"' in page


def test_a_note_too_long_is_refused_with_the_tap_and_nothing_is_saved(client_for, org_a, placed):
    group, (man,) = placed()
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    response = _mark(client, session, man, "present", "x" * 501, **HX)
    assert response.status_code == 422
    assert "at most 500 characters" in response.content.decode()
    assert not Attendance.objects.exists()
    _mark(client, session, man, "present", "Short")
    response = _note(client, session, man, "y" * 501, **HX)
    assert response.status_code == 422 and "at most 500 characters" in response.content.decode()
    assert Attendance.objects.get().note == "Short"


# --- taps at once ------------------------------------------------------------------------------


def test_a_repeated_first_tap_from_an_old_page_is_not_refused(org_a, placed):
    """The view's copy of the man says "Allocated" after another tap already put him in the
    programme: the second tap is saved, and he moves once."""
    group, (man,) = placed()
    session = scheduled(group)[0]
    stale = Participant.objects.get(pk=man.pk)
    services.attendance_mark(
        session=session, participant=man, outcome="present", by=org_a.facilitator
    )
    assert stale.status == Status.ALLOCATED
    mark = services.attendance_mark(
        session=session, participant=stale, outcome="late", by=org_a.facilitator
    )
    assert mark.outcome == "late"
    man.refresh_from_db()
    assert man.status == Status.IN_PROGRAMME
    assert StatusChange.objects.filter(participant=man, to_status=Status.IN_PROGRAMME).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_taps_at_once_on_his_first_mark_are_all_saved(client_for, org_a, placed):
    """Real requests in parallel threads, each with its own database connection."""
    if connection.vendor != "postgresql":
        skip_or_fail("taps at once need PostgreSQL's row locks (set DATABASE_URL)")
    group, (man,) = placed()
    session = scheduled(group)[0]
    cookies = client_for(org_a.facilitator).cookies
    taps = 20
    start = threading.Barrier(taps)
    answers: list[tuple[int, str]] = []

    def tap():
        client = Client()
        client.cookies = cookies
        try:
            start.wait()
            response = _mark(client, session, man, "present", **HX)
            answers.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(taps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == taps
    assert [status for status, _content in answers] == [200] * taps
    assert not [content for _status, content in answers if "cannot move" in content]
    assert Attendance.objects.filter(session=session).count() == 1
    man.refresh_from_db()
    assert man.status == Status.IN_PROGRAMME
    assert StatusChange.objects.filter(participant=man, to_status=Status.IN_PROGRAMME).count() == 1
    assert AuditEvent.objects.filter(what__startswith="attendance: present").count() == taps


# --- all present -------------------------------------------------------------------------------


def test_all_present_marks_the_unmarked_and_keeps_those_already_marked(client_for, org_a, placed):
    group, men = placed(count=5)
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    _mark(client, session, men[0], "authorised", "Hospital")
    _mark(client, session, men[1], "late")
    response = _all_present(client, session, **HX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "3 men marked present." in content
    assert _count_text(content) == "5 of 5 marked"
    marks = dict(
        Attendance.objects.order_by("participant_id").values_list("participant_id", "outcome")
    )
    assert marks == {
        men[0].pk: "authorised",
        men[1].pk: "late",
        men[2].pk: "present",
        men[3].pk: "present",
        men[4].pk: "present",
    }
    assert Attendance.objects.get(participant=men[0]).note == "Hospital"
    # One audit row per mark, like single taps.
    audited = AuditEvent.objects.filter(what=f"attendance: present, session {session.public_id}")
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(man.public_id) for man in men[2:]
    )
    # The same rules as a single tap: his first attendance puts him in the programme.
    assert set(
        Participant.objects.filter(pk__in=[m.pk for m in men[2:]]).values_list("status", flat=True)
    ) == {Status.IN_PROGRAMME}
    # The exceptions are then changed one by one.
    _mark(client, session, men[4], "unauthorised")
    assert Attendance.objects.get(participant=men[4]).outcome == "unauthorised"
    # Tapped again, it changes nothing.
    assert "0 men marked present." in _all_present(client, session, **HX).content.decode()
    assert Attendance.objects.get(participant=men[4]).outcome == "unauthorised"


def test_all_present_without_javascript_returns_to_the_register(client_for, org_a, placed):
    group, _men = placed(count=2)
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    response = _all_present(client, session)
    assert response["Location"] == reverse("group_sessions:register", args=[session.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "2 men marked present." in page and _count_text(page) == "2 of 2 marked"


def test_all_present_on_a_future_session_is_refused_and_marks_nobody(client_for, org_a, placed):
    group, _men = placed(count=2, weeks_ago=0)
    future = scheduled(group)[1]
    response = _all_present(client_for(org_a.facilitator), future, **HX)
    assert response.status_code == 422
    assert "has not happened yet" in response.content.decode()
    assert not Attendance.objects.exists()


# --- the count ---------------------------------------------------------------------------------


def test_the_count_agrees_with_the_rows_before_and_after_marking(client_for, org_a, placed):
    group, men = placed(count=3)
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    url = reverse("group_sessions:register", args=[session.public_id])
    page = client.get(url).content.decode()
    assert _count_text(page) == "0 of 3 marked"
    assert page.count('data-testid="register-row"') == 3
    assert 'data-testid="all-present"' in page
    # Each tap brings the count back out of band, from the same rows.
    row = _mark(client, session, men[0], "present", **HX).content.decode()
    assert 'id="register-summary"' in row and 'hx-swap-oob="true"' in row
    assert _count_text(row) == "1 of 3 marked"
    _mark(client, session, men[1], "late", **HX)
    page = client.get(url).content.decode()
    rows = selectors.register(session)
    count = selectors.register_count(rows)
    assert (count.marked, count.total) == (sum(1 for r in rows if r.mark), len(rows)) == (2, 3)
    assert _count_text(page) == "2 of 3 marked"
    assert page.count("not marked") == 1
    # A refused tap still shows the true count.
    _mark(client, session, men[2], "present")
    assert 'data-testid="all-present"' not in client.get(url).content.decode()


def test_the_count_reads_in_russian_with_its_plural_forms(client_for, org_a, placed):
    group, men = placed(count=5)
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    url = reverse("group_sessions:register", args=[session.public_id])
    expected = {1: "Отмечен 1 из 5", 2: "Отмечены 2 из 5", 5: "Отмечено 5 из 5"}
    for index, man in enumerate(men, start=1):
        _mark(client, session, man)
        if index in expected:
            page = client.get(url, headers={"Accept-Language": "ru"}).content.decode()
            assert _count_text(page) == expected[index]


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["register", "mark", "note", "all_present"])
def test_a_facilitator_of_another_organisation_is_refused(
    client_for, org_a, org_b, placed, url_name
):
    group, (man,) = placed()
    session = scheduled(group)[0]
    _mark(client_for(org_a.facilitator), session, man, "present", "Ours")
    client = client_for(org_b.facilitator)
    url = reverse(f"group_sessions:{url_name}", args=[session.public_id])
    form = {"participant": str(man.public_id), "outcome": "unauthorised", "note": "Theirs"}
    response = client.get(url) if url_name == "register" else client.post(url, form)
    assert response.status_code == 404
    mark = Attendance.objects.get()
    assert (mark.outcome, mark.note) == ("present", "Ours")


def test_a_man_of_another_group_cannot_be_marked_or_noted_on_this_register(
    client_for, org_a, placed
):
    group, (ours,) = placed(name="Ours")
    other_group, (theirs,) = placed(name="Theirs", facilitator=org_a.manager)
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    _mark(client, scheduled(other_group)[0], theirs, "present")
    response = _mark(client, session, theirs, "late", **HX)
    assert response.status_code == 422 and "not on the register" in response.content.decode()
    assert _note(client, session, theirs, "No", **HX).status_code == 422
    assert list(Attendance.objects.values_list("participant_id", "outcome", "note")) == [
        (theirs.pk, "present", "")
    ]
    _all_present(client, session)
    assert Attendance.objects.filter(session=session).get().participant == ours


# --- query budgets -----------------------------------------------------------------------------


def test_register_mark_note_and_all_present_have_a_fixed_query_budget(
    client_for, org_a, placed, django_assert_max_num_queries
):
    group, men = placed(count=12)
    session = scheduled(group)[0]
    client = client_for(org_a.facilitator)
    for man in men[:4]:
        _mark(client, session, man, "present")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("group_sessions:register", args=[session.public_id]))
    assert page.content.decode().count('data-testid="register-row"') == 12
    with django_assert_max_num_queries(30):
        assert _mark(client, session, men[0], "late", **HX).status_code == 200
    with django_assert_max_num_queries(13):
        assert _note(client, session, men[0], "Bus", **HX).status_code == 200
    # Eight men marked in one tap: each mark runs the programme's rules and writes its audit
    # row (a fixed number of queries per mark), but the register is built once, not per man.
    with django_assert_max_num_queries(8 * 18 + 15):
        response = _all_present(client, session, **HX)
    assert _count_text(response.content.decode()) == "12 of 12 marked"
