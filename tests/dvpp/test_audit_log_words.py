"""The audit log a manager can read: who, when and what in words of the page's language, each
event linked to the page it concerns, worded when the log is read (the rows hold codes and ids)
by each app's ``audit`` hook; her records stay out of a manager's sight."""

import csv
import html
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import formats, translation

from dvpp.audit import describe_events
from dvpp.models import AuditEvent, Role
from participants.models import RetentionRecord, RiskFlag
from participants.retention import anonymise
from partners import audit as partner_audit
from tests.dvpp.test_audit_trail import MAN, TODAY, World, _partner_details
from tests.factories import ParticipantFactory
from tests.partners.conftest import SECRETS

Action = AuditEvent.Action
CASE = "participants.participant"
# The codes the rows hold, which no reader should have to decipher.
ENGLISH_CODES = [
    "participants.",
    "group_sessions.",
    "dvpp.user",
    "attendance:",
    "to group ",
    "moved:",
]


@pytest.fixture
def world(org_a):
    return World(org_a)


def _page(client, language: str = "en", **params) -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("audit_log"), params)
    assert response.status_code == 200
    return response.content.decode()


SIGNED_IN = {"Signed in", "Вход"}  # each sign-in of a test's client is an event too


def _rows(content: str) -> list[tuple[str, str]]:
    """Each event's words and link, in the page's order, less the test clients' sign-ins."""
    cells = re.findall(r'<td data-testid="audit-description">(.*?)</td>', content, re.S)
    rows = []
    for cell in cells:
        link = re.search(r'href="([^"]*)"', cell)
        text = html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        if text not in SIGNED_IN:
            rows.append((text, html.unescape(link[1]) if link else ""))
    return rows


def _download(client, language: str = "en", **params) -> list[list[str]]:
    client.cookies["django_language"] = language
    response = client.get(reverse("audit_log_export"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _event(world, user, action, object_type, object_id, what="", **extra) -> AuditEvent:
    return AuditEvent.objects.create(
        organisation=world.organisation,
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        what=what,
        role=user.role if user else "",
        **extra,
    )


def _marked(client_for, world):
    """The facilitator marks the man present at the group's first session, on the register."""
    group = world.group(name="Group A")
    world.placed(group)
    session = group.sessions.order_by("date").first()
    response = client_for(world.org.facilitator).post(
        reverse("group_sessions:mark", args=[session.public_id]),
        {"participant": str(world.man.public_id), "outcome": "present"},
    )
    assert response.status_code == 302
    return session


def test_a_mark_reads_as_a_sentence_linked_to_the_register(client_for, world):
    session = _marked(client_for, world)
    rows = _rows(_page(client_for(world.org.manager)))
    date = formats.date_format(session.date, "DATE_FORMAT")
    assert (f"Marked {world.man.full_name} present, Group A, {date}", session_url(session)) in rows


def session_url(session) -> str:
    return reverse("group_sessions:register", args=[session.public_id])


def test_the_russian_page_reads_in_russian(client_for, world):
    session = _marked(client_for, world)
    client_for(world.org.facilitator).get(
        reverse("participants:detail", args=[world.man.public_id])
    )
    content = _page(client_for(world.org.manager), "ru")
    rows = _rows(content)
    with translation.override("ru"):
        name = world.man.full_name
        date = formats.date_format(session.date, "DATE_FORMAT")
    assert f"Отмечено «присутствовал»: {name}, Group A, {date}" in [text for text, _ in rows]
    assert f"Открыто дело: {name}" in [text for text, _ in rows]
    assert date.endswith(" г.")  # the date itself as Russian writes it
    table = content.split('data-testid="audit-table"')[1]
    for code in [*ENGLISH_CODES, "Marked", "Opened", "Viewed"]:
        assert code not in table, code


def test_reading_his_case_links_to_his_case(client_for, world):
    client_for(world.org.facilitator).get(
        reverse("participants:detail", args=[world.man.public_id])
    )
    rows = _rows(_page(client_for(world.org.manager)))
    assert rows[0] == (
        f"Opened the case of {world.man.full_name}",
        reverse("participants:detail", args=[world.man.public_id]),
    )


def test_who_is_the_user_and_their_role_then(client_for, world):
    client_for(world.org.facilitator).get(
        reverse("participants:detail", args=[world.man.public_id])
    )
    table = _page(client_for(world.org.manager)).split('data-testid="audit-table"')[1]
    assert str(world.org.facilitator) in table and "Facilitator" in table


def test_a_role_changed_in_the_admin_site_names_the_account(client_for, org_a, world):
    user = org_a.facilitator
    client_for(org_a.administrator, reauthenticated=True).post(
        reverse("admin:dvpp_user_change", args=[user.pk]),
        {
            "username": user.username,
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": "",
            "email": user.email,
            "organisation": org_a.organisation.pk,
            "role": Role.MANAGER,
            "is_active": "on",
        },
    )
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.params == {"fields": ["role"]}
    rows = _rows(_page(client_for(org_a.manager)))
    assert (f"Changed the role of {user}", reverse("staff_list")) in rows
    russian = _rows(_page(client_for(org_a.manager), "ru"))
    with translation.override("ru"):
        assert (f"Изменена роль: {user}", reverse("staff_list")) in russian


@pytest.mark.parametrize("role", ["facilitator", "partner_support"])
def test_only_managers_open_the_log(client_for, world, role):
    client = client_for(getattr(world.org, role), reauthenticated=True)
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("audit_log_export")).status_code == 403


def test_another_organisations_events_never_appear(client_for, world, org_b):
    stranger = ParticipantFactory(
        organisation=org_b.organisation, last_name="Quatermaine", first_name="Isidore"
    )
    client_for(org_b.facilitator).get(reverse("participants:detail", args=[stranger.public_id]))
    client_for(world.org.facilitator).get(
        reverse("participants:detail", args=[world.man.public_id])
    )
    manager = client_for(world.org.manager, reauthenticated=True)
    for language in ("en", "ru"):
        content = _page(manager, language)
        assert "Quatermaine" not in content and str(stranger.public_id) not in content
        assert len(_rows(content)) == 1
    for language in ("en", "ru"):
        assert "Quatermaine" not in str(_download(manager, language))


def test_an_event_on_another_organisations_record_does_not_name_it(client_for, world, org_b):
    """An id of org B's case in org A's log (a forged request) finds no name and no page."""
    stranger = ParticipantFactory(organisation=org_b.organisation, last_name="Quatermaine")
    _event(world, world.org.facilitator, Action.VIEW, CASE, stranger.public_id)
    rows = _rows(_page(client_for(world.org.manager)))
    assert rows == [("Opened the case of (a case no longer held)", "")]


def test_an_anonymised_case_is_named_by_its_reference_only(client_for, world):
    client_for(world.org.facilitator).get(
        reverse("participants:detail", args=[world.man.public_id])
    )
    anonymise(world.man)
    content = _page(client_for(world.org.manager))
    assert _rows(content)[0] == (
        f"Opened the case of case {world.man.reference} (anonymised)",
        reverse("participants:detail", args=[world.man.public_id]),
    )
    assert MAN["last_name"] not in content and MAN["first_name"] not in content


def test_records_no_longer_held_still_read_without_a_link(client_for, world):
    gone = str(uuid.uuid4())
    manager = world.org.manager
    _event(world, manager, Action.CHANGE, CASE, gone, f"attendance: late, session {uuid.uuid4()}")
    _event(world, manager, Action.CHANGE, "group_sessions.session", gone, "moved: x")
    _event(world, manager, Action.CHANGE, "dvpp.user", "999999", "admin: Role")
    _event(world, manager, Action.VIEW, "participants.retentionrecord", "999999")
    _event(world, manager, Action.VIEW, "participants.riskflag", "999999")
    rows = _rows(_page(client_for(manager)))
    assert rows == [
        ("Acknowledged a risk flag on the case of (a case no longer held)", ""),
        ("Opened a destruction act", ""),
        ("Changed the account of an account no longer held", ""),
        ("Changed the session a session no longer held", ""),
        ("Marked (a case no longer held) late, a session no longer held", ""),
    ]


def test_old_rows_of_free_text_still_read_sensibly(client_for, world):
    manager = world.org.manager
    _event(world, manager, Action.CHANGE, CASE, world.man.public_id, "legacy: free text")
    _event(world, manager, Action.EXPORT, "dvpp.somethingold", "7", "old export")
    rows = _rows(_page(client_for(manager)))
    assert rows == [
        ("Exported: a record", ""),
        (
            f"Changed the case of {world.man.full_name}",
            reverse("participants:detail", args=[world.man.public_id]),
        ),
    ]


def test_codes_of_his_case_read_as_words(client_for, world):
    facilitator = world.org.facilitator
    flag = RiskFlag.objects.create(
        organisation=world.organisation, participant=world.man, raised_on=TODAY
    )
    _event(
        world, facilitator, Action.CHANGE, CASE, world.man.public_id, "status: referred→assessment"
    )
    _event(world, facilitator, Action.CHANGE, CASE, world.man.public_id, "risk level: -→high")
    _event(world, facilitator, Action.CHANGE, CASE, world.man.public_id, "details: phone, email")
    _event(world, facilitator, Action.CREATE, CASE, world.man.public_id, "consent: programme")
    _event(world, facilitator, Action.CHANGE, "participants.riskflag", flag.pk, "acknowledged")
    name = world.man.full_name
    texts = [text for text, _ in _rows(_page(client_for(world.org.manager)))]
    assert texts == [
        f"Acknowledged a risk flag on the case of {name}",
        f"Recorded the consent of {name}: Taking part in the programme",
        f"Changed the details of {name}: phone, e-mail",
        f"Set the risk level of {name}: — → High",
        f"Moved the case of {name} from “Referred” to “In assessment”",
    ]


# --- her record -----------------------------------------------------------------------------


def _her_record_read_and_changed(client_for, world):
    partner = world.partner()
    worker = client_for(world.org.partner_support)
    assert worker.get(reverse("partners:detail", args=[partner.public_id])).status_code == 200
    changed = {**_partner_details(world), "phone": "07700 900999"}
    response = worker.post(reverse("partners:edit", args=[partner.public_id]), changed)
    assert response.status_code == 302
    return partner


HERS = [*SECRETS.values(), "07700 900999"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_manager_sees_nothing_of_her_record(client_for, world, language):
    partner = _her_record_read_and_changed(client_for, world)
    assert AuditEvent.objects.filter(object_type="partners.partner").count() >= 2
    manager = client_for(world.org.manager, reauthenticated=True)
    content = _page(manager, language)
    exported = str(_download(manager, language))
    for value in [
        *HERS,
        str(partner.public_id),
        reverse("partners:detail", args=[partner.public_id]),
    ]:
        assert value not in content and value not in exported, value
    assert "partners/" not in content.split('data-testid="audit-table"')[1]


def test_the_words_for_her_record_name_nothing_of_her(client_for, world):
    """Even were a reader shown her events, the words carry nothing of her, nor whose she is."""
    _her_record_read_and_changed(client_for, world)
    events = list(AuditEvent.objects.filter(object_type="partners.partner").order_by("pk"))
    for viewer in (world.org.manager, world.org.partner_support):
        for language in ("en", "ru"):
            with translation.override(language):
                described = partner_audit.describe(events, viewer=viewer)
            assert len(described) == len(events)
            words = str(list(described.values()))
            for value in [*HERS, world.man.last_name, world.man.reference]:
                assert value not in words, value
    manager_links = partner_audit.describe(events, viewer=world.org.manager)
    assert {link for _text, link in manager_links.values()} == {""}


# --- the export -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_export_says_what_the_page_says(client_for, world, language):
    session = _marked(client_for, world)
    client_for(world.org.facilitator).get(
        reverse("participants:detail", args=[world.man.public_id])
    )
    _event(world, world.org.manager, Action.CHANGE, "group_sessions.session", session.public_id)
    manager = client_for(world.org.manager, reauthenticated=True)
    page = _rows(_page(manager, language))
    rows = _download(manager, language)[1:]
    # The export's own event comes first in the file: it was written before the download.
    exported = [
        (row[3], row[4].removeprefix("http://testserver"))
        for row in rows[1:]
        if row[3] not in SIGNED_IN
    ]
    assert exported == page
    # The three events of the test, and the two of its set-up (the group created and his place,
    # audited by the services that made them).
    assert len(page) == 3 + 2


# --- many rows, few queries -----------------------------------------------------------------


def _mixed_rows(world, count: int) -> None:
    """``count`` events of every kind a page shows, on as many cases, sessions and flags."""
    group = world.group(name="Group A")
    sessions = list(group.sessions.order_by("date")[:count])
    facilitator = world.org.facilitator
    for index in range(count):
        man = ParticipantFactory(organisation=world.organisation)
        session = sessions[index % len(sessions)]
        flag = RiskFlag.objects.create(
            organisation=world.organisation, participant=man, raised_on=TODAY
        )
        record = RetentionRecord.objects.create(
            organisation=world.organisation,
            subject=RetentionRecord.Subject.MAN,
            reference=man.reference,
        )
        _event(world, facilitator, Action.VIEW, CASE, man.public_id)
        what = f"attendance: present, session {session.public_id}"
        _event(world, facilitator, Action.CHANGE, CASE, man.public_id, what)
        _event(
            world,
            facilitator,
            Action.CREATE,
            CASE,
            man.public_id,
            f"allocated to group {group.public_id}",
        )
        _event(world, facilitator, Action.CREATE, CASE, man.public_id, "consent: programme")
        _event(world, facilitator, Action.CREATE, CASE, man.public_id, "incident 1")
        _event(world, facilitator, Action.VIEW, CASE, man.public_id, "survey form (men-change)")
        _event(
            world,
            facilitator,
            Action.CHANGE,
            "group_sessions.session",
            session.public_id,
            "moved: 2026-01-01 18:00→2026-01-02 18:00",
        )
        _event(world, facilitator, Action.CREATE, "group_sessions.group", group.public_id)
        _event(world, facilitator, Action.CHANGE, "participants.riskflag", flag.pk, "acknowledged")
        _event(world, facilitator, Action.VIEW, "participants.retentionrecord", record.pk)
        _event(
            world,
            world.org.administrator,
            Action.CHANGE,
            "dvpp.user",
            facilitator.pk,
            params={"fields": ["role"]},
        )
        _event(world, facilitator, Action.SIGN_IN, "dvpp.user", facilitator.pk)


@pytest.mark.parametrize("count", [1, 4])
def test_the_page_of_many_kinds_costs_the_same_few_queries(
    client_for, world, count, django_assert_max_num_queries
):
    _mixed_rows(world, count)
    client = client_for(world.org.manager)
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(18):
        response = client.get(reverse("audit_log"))
    rows = _rows(response.content.decode())
    # And the group the set-up created (audited by the service that made it).
    assert len(rows) == 11 * count + 1
    assert all(text and "%(" not in text for text, _link in rows)
    assert not any(code in text for text, _link in rows for code in ENGLISH_CODES)


def test_describing_a_page_is_batched_per_kind(world, django_assert_max_num_queries):
    _mixed_rows(world, 4)
    events = list(AuditEvent.objects.order_by("-pk")[:50])
    with django_assert_max_num_queries(10):
        described = describe_events(events, viewer=world.org.manager)
    assert set(described) == {event.pk for event in events}
