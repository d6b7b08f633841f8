"""Subject access and erasure: a man's package and erasure (managers), a partner's (her partner
support worker), each re-authenticated and audited; a man's package never holds anything of
his partner, and erasing one person never touches another's data."""

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from dvpp.crypto import decrypt
from dvpp.models import AuditEvent, Role
from dvpp.reauth import reauthentication_url
from outcomes import services as outcome_services
from outcomes.models import Answer, Instrument
from participants import services as case_services
from participants.models import Assessment, Participant, Status
from partners import services as partner_services
from partners.models import CheckIn, MaracReferral, Partner, RiskChecklist, SafetyPlan
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from sessions.models import Attendance
from tests.factories import ParticipantFactory, ReferralFactory, category_of
from tests.partners.conftest import SECRETS

TODAY = timezone.localdate()

# What the man's side holds about him.
HIS = {
    "last_name": "Quillfeather",
    "first_name": "Thaddeus",
    "patronymic": "Ignatyevich",
    "previous_surnames": "Oldmoor",
    "phone": "07700 111222",
    "email": "thaddeus.q@example.net",
}
HIS_TEXT = {
    "note": "He spoke about his work at Ironbridge",
    "correction": "Correction: the works at Ironbridge",
    "referral": "Referred after the incident at Brackenfold",
    "referrer": "Officer Pellinore",
    "assessment": "Motivated; talks about Brackenfold",
    "attendance": "Late: bus from Cobbleford",
    "survey": "Man comment Fenwick",
}
# What the partner support service holds about her, beyond SECRETS.
HERS = {
    "checkin": "She said he waited outside Larkspur Close",
    "plan": "Sister at Mossgiel Farm",
    "judgement": "Judgement: threats with a knife at Wyvernholt",
    "marac": "MARAC agreed Kestrel actions",
    "survey": "Her comment Wrenhaven",
}
# A second partner of the same man.
OTHER_PARTNER = {
    "last_name": "Pennyroyal",
    "first_name": "Eudora",
    "phone": "07700 900999",
    "email": "eudora.p@example.org",
    "address": "3 Foxglove Row, Ashcombe",
    "safe_contact_notes": "Calls only on Tuesdays; code word plover",
}


def _man_answers(comment: str) -> dict:
    return {
        "violence": "once",
        "controlling": "few",
        "responsibility": "3",
        "children_impact": "yes",
        "comments": comment,
    }


def _her_answers(comment: str) -> dict:
    return {
        "injured": "yes",
        "feels_safe": "not_very",
        "physical": "once",
        "sexual": "never",
        "threats": "often",
        "weapon": "no",
        "controlling": "often",
        "harassment": "few",
        "children_exposure": "never",
        "space_for_action": "4",
        "comments": comment,
    }


def _group(org_a, name: str):
    return session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme_install_standard(org_a.organisation),
            "name": name,
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Room 1",
            "weekday": TODAY.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": TODAY - datetime.timedelta(weeks=2),
            "capacity": 12,
            "intake": "rolling",
        },
    )


def _enrol_and_attend(org_a, man, group, note: str) -> None:
    man.status = Status.WAITING_LIST
    man.save()
    sessions = list(group.sessions.filter(date__lte=TODAY).order_by("date"))
    session_services.enrolment_allocate(
        participant=man, group=group, by=org_a.manager, first_session=sessions[0]
    )
    for session in sessions:
        session_services.attendance_mark(
            session=session, participant=man, outcome="present", by=org_a.facilitator, note=note
        )


@pytest.fixture
def world(org_a):
    """A man with a full record, in a group with another man; his partner with hers; a second
    partner of his."""
    organisation = org_a.organisation
    man = ParticipantFactory(organisation=organisation, **HIS, children_ages="4, 7")
    ReferralFactory(
        participant=man, reason=HIS_TEXT["referral"], referrer_name=HIS_TEXT["referrer"]
    )
    note = case_services.case_note_add(
        participant=man,
        by=org_a.facilitator,
        category=category_of(organisation),
        text=HIS_TEXT["note"],
    )
    case_services.case_note_add(
        participant=man,
        by=org_a.facilitator,
        category=category_of(organisation),
        text=HIS_TEXT["correction"],
        corrects=note,
    )
    Assessment.objects.create(
        organisation=organisation,
        participant=man,
        outcome="suitable",
        outcome_reason=HIS_TEXT["assessment"],
        risk_level="medium",
        partner_details_passed_on=TODAY - datetime.timedelta(days=20),
        decided_on=TODAY - datetime.timedelta(days=20),
    )
    group = _group(org_a, "Group Q")
    _enrol_and_attend(org_a, man, group, HIS_TEXT["attendance"])
    other_man = ParticipantFactory(organisation=organisation, last_name="Bramblecote")
    _enrol_and_attend(org_a, other_man, group, "Other man's note Tanglewood")

    partner = partner_services.partner_create(
        organisation=organisation,
        by=org_a.partner_support,
        participant=man,
        data={**SECRETS, "relationship": "ex_partner", "consent_to_contact": True},
    )
    partner_services.contact_attempt_record(
        partner=partner,
        by=org_a.partner_support,
        at=timezone.now() - datetime.timedelta(days=10),
        method="call",
        outcome="reached",
    )
    partner_services.checkin_record(
        partner=partner,
        by=org_a.partner_support,
        data={
            "on": TODAY,
            "method": "call",
            "feels_safe": "not_very",
            "incidents": ["threats"],
            "injuries": False,
            "police_called": True,
            "actions": HERS["checkin"],
            "risk_level_after": "high",
            "next_due": TODAY + datetime.timedelta(days=7),
        },
    )
    partner_services.risk_assess(
        partner=partner,
        by=org_a.partner_support,
        checklist=RiskChecklist.objects.get(organisation=organisation),
        yes_items=[1, 2, 3],
        assessed_on=TODAY,
        professional_judgement=True,
        judgement_note=HERS["judgement"],
    )
    partner_services.safety_plan_save(
        partner=partner,
        by=org_a.partner_support,
        sections={"contacts": HERS["plan"], "safe_places": HERS["plan"]},
        review_on=TODAY + datetime.timedelta(days=30),
    )
    second = partner_services.partner_create(
        organisation=organisation,
        by=org_a.partner_support,
        participant=man,
        data={**OTHER_PARTNER, "relationship": "partner"},
    )
    outcome_services.response_record(
        instrument=Instrument.objects.get(organisation=organisation, code="men-self-report"),
        wave="baseline",
        participant=man,
        answered_on=TODAY,
        answers=_man_answers(HIS_TEXT["survey"]),
        by=org_a.facilitator,
    )
    partner_survey = Instrument.objects.get(organisation=organisation, code="partner-safety")
    outcome_services.response_record(
        instrument=partner_survey,
        wave="baseline",
        participant=man,
        partner=partner,
        answered_on=TODAY,
        answers=_her_answers(HERS["survey"]),
        by=org_a.partner_support,
    )
    outcome_services.response_record(
        instrument=partner_survey,
        wave="baseline",
        participant=man,
        partner=second,
        answered_on=TODAY,
        answers=_her_answers("Second partner's comment Hollowmere"),
        by=org_a.partner_support,
    )
    man.refresh_from_db()
    return {"man": man, "other_man": other_man, "partner": partner, "second": second}


def _close(man: Participant, by) -> None:
    case_services.participant_change_status(
        participant=man, to_status=Status.WITHDRAWN, by=by, reason="Moved to Harrowgate"
    )


def _end_support(partner: Partner) -> None:
    for referral in MaracReferral.objects.filter(partner=partner):
        partner_services.marac_update(
            referral=referral, referred_on=TODAY, meeting_on=TODAY, outcome=HERS["marac"]
        )
    Partner.objects.filter(pk=partner.pk).update(state=Partner.State.CLOSED)
    partner.refresh_from_db()


def _unzip(response) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def _download_his(client, man):
    return client.post(reverse("participants:subject_access", args=[man.public_id]))


def _download_hers(client, partner):
    return client.post(reverse("partners:subject_access", args=[partner.public_id]))


# The package of a man -----------------------------------------------------------------------


def test_mans_package_holds_his_record_and_nothing_of_any_partner(client_for, org_a, world):
    man = world["man"]
    response = _download_his(client_for(org_a.manager, reauthenticated=True), man)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and man.reference in disposition
    assert HIS["last_name"] not in disposition and HIS["first_name"] not in disposition

    files = _unzip(response)
    assert set(files) == {"summary.html", "data.json"}
    everything = files["summary.html"] + files["data.json"]
    for value in [*HIS.values(), *HIS_TEXT.values(), man.reference]:
        assert value in files["summary.html"], value
        assert value in files["data.json"], value
    hers = [
        *SECRETS.values(),
        *HERS.values(),
        *OTHER_PARTNER.values(),
        "Larkspur",
        "Heronsgate",
        "Hollowmere",
        str(world["partner"].public_id),
        str(world["second"].public_id),
    ]
    for secret in hers:
        assert secret not in everything, secret
        assert secret.encode() not in response.content, secret
    # Nothing that comes from the partner support side: no flag, no "passed on" date.
    data = json.loads(files["data.json"])
    assert "risk_flags" not in data
    assert "partner_details_passed_on" not in files["data.json"]
    assert "Heightened risk" not in files["summary.html"]


def test_mans_package_data_is_machine_readable_with_stable_keys_and_iso_dates(
    client_for, org_a, world
):
    man = world["man"]
    data = json.loads(
        _unzip(_download_his(client_for(org_a.manager, reauthenticated=True), man))["data.json"]
    )
    assert data["format"] == "dvpp-subject-access/1"
    assert data["subject"] == "man"
    assert data["person"]["reference"] == man.reference
    assert data["person"]["date_of_birth"] == man.date_of_birth.isoformat()
    assert data["person"]["previous_surnames"] == ["Oldmoor"]
    assert data["person"]["status"] == man.status  # a code, not a label
    notes = data["case_notes"]
    assert [n["text"] for n in notes] == [HIS_TEXT["note"], HIS_TEXT["correction"]]
    assert notes[1]["corrects"] == notes[0]["id"]
    assert {m["outcome"] for m in data["attendance"]} == {"present"}
    assert len(data["attendance"]) == Attendance.objects.filter(participant=man).count() > 0
    assert {a["question_code"] for a in data["survey_answers"]} >= {"violence", "comments"}
    # Only his own survey: the partner survey that points at him is hers.
    assert len(data["survey_responses"]) == 1
    datetime.date.fromisoformat(data["referrals"][0]["received_on"])
    datetime.datetime.fromisoformat(data["generated_at"])


def test_summary_escapes_every_value(client_for, org_a, world):
    man = world["man"]
    case_services.case_note_add(
        participant=man,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text='<script>alert("x")</script><img src=x onerror=alert(1)>',
    )
    summary = _unzip(_download_his(client_for(org_a.manager, reauthenticated=True), man))[
        "summary.html"
    ]
    assert "<script>" not in summary and "<img" not in summary
    assert "&lt;script&gt;" in summary
    # Self-contained: nothing fetched from elsewhere.
    assert "http://" not in summary and "https://" not in summary and "<link" not in summary


def test_summary_is_in_the_active_language(client_for, org_a, world):
    client = client_for(org_a.manager, reauthenticated=True)
    with translation.override("ru"):
        response = client.post(
            reverse("participants:subject_access", args=[world["man"].public_id]),
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    files = _unzip(response)
    assert '<html lang="ru">' in files["summary.html"]
    assert "Фамилия" in files["summary.html"]
    assert json.loads(files["data.json"])["language"] == "ru"


def test_package_query_count_does_not_grow_with_his_record(
    client_for, org_a, world, django_assert_max_num_queries
):
    man = world["man"]
    for i in range(25):
        case_services.case_note_add(
            participant=man,
            by=org_a.facilitator,
            category=category_of(org_a.organisation),
            text=f"Note {i}",
        )
        ReferralFactory(participant=man)
    client = client_for(org_a.manager, reauthenticated=True)
    with django_assert_max_num_queries(30):
        response = _download_his(client, man)
    assert len(json.loads(_unzip(response)["data.json"])["case_notes"]) == 27


# The package of a partner -------------------------------------------------------------------


def test_partners_package_holds_her_record_and_nothing_of_him_or_another_partner(
    client_for, org_a, world
):
    partner = world["partner"]
    _end_support(partner)  # so that the MARAC outcome is recorded
    response = _download_hers(client_for(org_a.partner_support, reauthenticated=True), partner)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert str(partner.public_id) in disposition
    assert SECRETS["last_name"] not in disposition
    files = _unzip(response)
    assert set(files) == {"summary.html", "data.json"}
    for value in [*SECRETS.values(), *HERS.values()]:
        assert value in files["summary.html"], value
        assert value in files["data.json"], value
    everything = files["summary.html"] + files["data.json"]
    man = world["man"]
    for other in [
        *OTHER_PARTNER.values(),
        "Hollowmere",
        *HIS.values(),
        *HIS_TEXT.values(),
        man.reference,
        str(man.public_id),
        "Bramblecote",
    ]:
        assert other not in everything, other
    data = json.loads(files["data.json"])
    assert data["subject"] == "partner"
    assert data["person"]["phone"] == SECRETS["phone"]
    assert data["checkins"][0]["incidents"] == ["threats"]
    assert len(data["risk_answers"]) == 24
    # Yes, no or not asked as recorded (the world's checklist: 1 to 3 yes, every other no).
    assert [a["answer"] for a in data["risk_answers"][:4]] == ["yes", "yes", "yes", "no"]
    assert len(data["survey_responses"]) == 1


def test_partners_package_query_count_does_not_grow_with_her_record(
    client_for, org_a, world, django_assert_max_num_queries
):
    partner = world["partner"]
    for i in range(10):
        partner_services.safety_plan_save(
            partner=partner,
            by=org_a.partner_support,
            sections={"contacts": f"Plan {i}"},
            review_on=TODAY + datetime.timedelta(days=30),
        )
        partner_services.risk_assess(
            partner=partner,
            by=org_a.partner_support,
            checklist=RiskChecklist.objects.get(organisation=org_a.organisation),
            yes_items=[1],
            assessed_on=TODAY,
            confirm_lower=True,
            lower_reason="Reviewed with her",
        )
    client = client_for(org_a.partner_support, reauthenticated=True)
    with django_assert_max_num_queries(30):
        response = _download_hers(client, partner)
    assert len(json.loads(_unzip(response)["data.json"])["safety_plans"]) == 11


# Who may, and the password again ------------------------------------------------------------

HIS_URLS = ["participants:subject_access", "participants:erase"]
HER_URLS = ["partners:subject_access", "partners:erase"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", HIS_URLS)
def test_only_managers_open_a_mans_subject_access_and_erasure(
    client_for, org_a, world, role, url_name
):
    client = client_for(org_a.for_role(role), reauthenticated=True)
    url = reverse(url_name, args=[world["man"].public_id])
    expected = 200 if role == Role.MANAGER else 403
    assert client.get(url).status_code == expected
    if role != Role.MANAGER:
        assert client.post(url, {"confirmation": world["man"].reference}).status_code == 403


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", HER_URLS)
def test_only_partner_support_workers_open_a_partners_subject_access_and_erasure(
    client_for, org_a, world, role, url_name
):
    client = client_for(org_a.for_role(role), reauthenticated=True)
    url = reverse(url_name, args=[world["partner"].public_id])
    expected = 200 if role == Role.PARTNER_SUPPORT else 403
    assert client.get(url).status_code == expected
    if role != Role.PARTNER_SUPPORT:
        assert client.post(url).status_code == 403
        assert not AuditEvent.objects.filter(
            action__in=[AuditEvent.Action.SUBJECT_ACCESS, AuditEvent.Action.ERASE]
        ).exists()


@pytest.mark.parametrize("url_name", HIS_URLS)
def test_another_organisations_manager_gets_404_for_his(client_for, org_b, world, url_name):
    client = client_for(org_b.manager, reauthenticated=True)
    url = reverse(url_name, args=[world["man"].public_id])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    # Not even a password prompt first: an unknown case is unknown.
    assert client_for(org_b.manager).get(url).status_code == 404


@pytest.mark.parametrize("url_name", HER_URLS)
def test_another_organisations_worker_gets_404_for_hers(client_for, org_b, world, url_name):
    client = client_for(org_b.partner_support, reauthenticated=True)
    url = reverse(url_name, args=[world["partner"].public_id])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("url_name", [*HIS_URLS, *HER_URLS])
def test_without_confirming_the_password_again_you_are_sent_to_confirm_it(
    client_for, org_a, world, url_name
):
    person = world["man"] if url_name.startswith("participants") else world["partner"]
    user = org_a.manager if url_name.startswith("participants") else org_a.partner_support
    client = client_for(user)
    url = reverse(url_name, args=[person.public_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reauthentication_url(url)
    response = client.post(
        url, {"confirmation": "anything"}, HTTP_REFERER=f"http://testserver{url}"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert response.get("Content-Type") != "application/zip"
    assert not AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.SUBJECT_ACCESS, AuditEvent.Action.ERASE]
    ).exists()


def test_the_case_page_links_to_subject_access_for_managers_only(client_for, org_a, world):
    man = world["man"]
    url = reverse("participants:detail", args=[man.public_id])
    manager_page = client_for(org_a.manager).get(url).content.decode()
    assert reverse("participants:subject_access", args=[man.public_id]) in manager_page
    assert reverse("participants:erase", args=[man.public_id]) in manager_page
    facilitator_page = client_for(org_a.facilitator).get(url).content.decode()
    assert "subject-access" not in facilitator_page and "/erase/" not in facilitator_page


def test_her_page_links_to_her_subject_access_and_erasure(client_for, org_a, world):
    partner = world["partner"]
    page = (
        client_for(org_a.partner_support)
        .get(reverse("partners:detail", args=[partner.public_id]))
        .content.decode()
    )
    assert reverse("partners:subject_access", args=[partner.public_id]) in page
    assert reverse("partners:erase", args=[partner.public_id]) in page


def test_his_package_does_not_say_when_partner_support_opened_his_case(client_for, org_a, world):
    man = world["man"]
    for user, what in [
        (org_a.facilitator, "by a facilitator"),
        (org_a.partner_support, "by partner support"),
        (None, "by the system"),
    ]:
        AuditEvent.objects.create(
            organisation=org_a.organisation,
            user=user,
            action=AuditEvent.Action.VIEW,
            object_type="participants.participant",
            object_id=str(man.public_id),
            what=what,
        )
    data = json.loads(
        _unzip(_download_his(client_for(org_a.manager, reauthenticated=True), man))["data.json"]
    )
    whats = {event["what"] for event in data["audit_events"]}
    assert {"by a facilitator", "by the system"} <= whats
    assert "by partner support" not in whats


# Audit ---------------------------------------------------------------------------------------


def test_a_package_is_audited_with_ids_only(client_for, org_a, world):
    man, partner = world["man"], world["partner"]
    _download_his(client_for(org_a.manager, reauthenticated=True), man)
    _download_hers(client_for(org_a.partner_support, reauthenticated=True), partner)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.SUBJECT_ACCESS)
    assert {(e.object_type, e.object_id, e.user) for e in events} == {
        ("participants.participant", str(man.public_id), org_a.manager),
        ("partners.partner", str(partner.public_id), org_a.partner_support),
    }
    logged = " ".join(f"{e.object_type} {e.object_id} {e.what}" for e in events)
    for name in [*HIS.values(), *SECRETS.values()]:
        assert name not in logged


# Erasing a man --------------------------------------------------------------------------------


def _erase_his(client, man, typed: str | None = None):
    return client.post(
        reverse("participants:erase", args=[man.public_id]),
        {"confirmation": man.reference if typed is None else typed},
    )


def test_an_open_case_cannot_be_erased(client_for, org_a, world):
    man = world["man"]
    assert man.status == Status.IN_PROGRAMME
    client = client_for(org_a.manager, reauthenticated=True)
    page = client.get(reverse("participants:erase", args=[man.public_id])).content.decode()
    assert 'data-testid="erase-refusal"' in page and "still open" in page
    assert 'data-testid="erase-form"' not in page
    response = _erase_his(client, man)
    assert response.status_code == 200
    assert "still open" in response.content.decode()
    man.refresh_from_db()
    assert man.last_name == HIS["last_name"] and man.erased_at is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.REFUSED, object_id=str(man.public_id)
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()


def test_a_case_under_a_running_order_cannot_be_erased(client_for, org_a, world):
    man = world["man"]
    _close(man, org_a.manager)
    ReferralFactory(
        participant=man,
        is_statutory=True,
        order_start_on=TODAY - datetime.timedelta(days=30),
        order_end_on=TODAY + datetime.timedelta(days=90),
    )
    response = _erase_his(client_for(org_a.manager, reauthenticated=True), man)
    assert "court or probation order" in response.content.decode()
    man.refresh_from_db()
    assert man.erased_at is None and man.phone == HIS["phone"]


def test_a_wrong_confirmation_erases_nothing_and_says_so(client_for, org_a, world):
    man = world["man"]
    _close(man, org_a.manager)
    response = _erase_his(client_for(org_a.manager, reauthenticated=True), man, typed="00000")
    assert response.status_code == 200
    assert f"What you typed is not {man.reference}. Nothing has been erased." in (
        response.content.decode()
    )
    man.refresh_from_db()
    assert (man.last_name, man.phone, man.erased_at) == (HIS["last_name"], HIS["phone"], None)
    assert man.notes.filter(text=HIS_TEXT["note"]).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()


def _partner_state(partner: Partner) -> dict:
    partner = Partner.objects.get(pk=partner.pk)
    return {
        **{field: getattr(partner, field) for field in SECRETS},
        "erased_at": partner.erased_at,
        "checkins": [c.actions for c in CheckIn.objects.filter(partner=partner)],
        "plans": [p.contacts for p in SafetyPlan.objects.filter(partner=partner)],
        "answers": sorted(
            Answer.objects.filter(response__partner=partner).values_list("value", flat=True)
        ),
    }


def test_erasing_a_closed_case_removes_what_identifies_him_and_nothing_of_anyone_else(
    client_for, org_a, world
):
    man, other_man, partner = world["man"], world["other_man"], world["partner"]
    _close(man, org_a.manager)
    hers_before = _partner_state(partner)
    second_before = _partner_state(world["second"])
    other_before = (
        Participant.objects.get(pk=other_man.pk).last_name,
        list(
            Attendance.objects.filter(participant=other_man)
            .order_by("pk")
            .values_list("note", flat=True)
        ),
    )
    marks_before = list(
        Attendance.objects.filter(participant=man)
        .order_by("pk")
        .values_list("session_id", "outcome")
    )

    response = _erase_his(client_for(org_a.manager, reauthenticated=True), man)
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[man.public_id])

    man.refresh_from_db()
    assert man.erased_at is not None
    for field in HIS:
        assert getattr(man, field) in {"", "—"}, field
    assert man.date_of_birth.month == 1 and man.date_of_birth.day == 1
    assert man.search_text == man.reference
    assert man.status == Status.WITHDRAWN  # the figures keep their statuses
    dump = " ".join(
        [
            *man.notes.values_list("text", flat=True),
            *man.referrals.values_list("reason", flat=True),
            *man.referrals.values_list("referrer_name", flat=True),
            *man.assessments.values_list("outcome_reason", flat=True),
            *man.status_changes.values_list("reason", flat=True),
            *Attendance.objects.filter(participant=man).values_list("note", flat=True),
            *Answer.objects.filter(response__participant=man, response__partner=None).values_list(
                "value", flat=True
            ),
        ]
    )
    for value in [*HIS_TEXT.values(), "Harrowgate"]:
        assert value not in dump, value
    # Statistical rows stay.
    assert man.notes.count() == 2
    assert (
        list(
            Attendance.objects.filter(participant=man)
            .order_by("pk")
            .values_list("session_id", "outcome")
        )
        == marks_before
    )
    assert Answer.objects.filter(
        response__participant=man, response__partner=None, question_code="violence"
    ).get().value == ("once")
    # Nobody else's data changed: his partners, the surveys they answered, the other man.
    assert _partner_state(partner) == hers_before
    assert _partner_state(world["second"]) == second_before
    assert (
        Participant.objects.get(pk=other_man.pk).last_name,
        list(
            Attendance.objects.filter(participant=other_man)
            .order_by("pk")
            .values_list("note", flat=True)
        ),
    ) == other_before

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (event.object_id, event.user) == (str(man.public_id), org_a.manager)

    # The pages show an erased case rather than fail.
    page = client_for(org_a.manager).get(response["Location"]).content.decode()
    assert 'data-testid="case-erased"' in page
    assert 'data-testid="erase-link"' not in page
    her_page = client_for(org_a.partner_support).get(
        reverse("partners:detail", args=[partner.public_id])
    )
    assert her_page.status_code == 200
    assert SECRETS["phone"] in her_page.content.decode()
    again = client_for(org_a.manager, reauthenticated=True).get(
        reverse("participants:erase", args=[man.public_id])
    )
    assert "already been erased" in again.content.decode()
    # His package still opens, and holds no trace of what was erased.
    files = _unzip(_download_his(client_for(org_a.manager, reauthenticated=True), man))
    for value in [*HIS.values(), *HIS_TEXT.values()]:
        assert value not in files["summary.html"] + files["data.json"], value


def test_an_erased_case_still_reaches_the_end_of_its_retention_period(client_for, org_a, world):
    """Erasure on request does not stand in for retention: when his case's period is over,
    retention still runs on it (and on his partners' records, as for every case)."""
    from participants.retention import due_for_retention

    man = world["man"]
    _close(man, org_a.manager)
    _erase_his(client_for(org_a.manager, reauthenticated=True), man)
    later = timezone.now() + datetime.timedelta(days=31 * (org_a.organisation.retention_months + 1))
    assert list(due_for_retention(org_a.organisation, later)) == [
        Participant.objects.get(pk=man.pk)
    ]


# Erasing a partner ---------------------------------------------------------------------------


def _erase_hers(client, partner, typed: str | None = None):
    return client.post(
        reverse("partners:erase", args=[partner.public_id]),
        {"confirmation": str(partner.public_id)[:8] if typed is None else typed},
    )


def test_her_record_cannot_be_erased_while_her_support_is_open(client_for, org_a, world):
    partner = world["partner"]
    client = client_for(org_a.partner_support, reauthenticated=True)
    response = _erase_hers(client, partner)
    assert "still open" in response.content.decode()
    Partner.objects.filter(pk=partner.pk).update(state=Partner.State.CLOSED)
    # Closed, but the MARAC referral her high risk raised has no outcome yet.
    response = _erase_hers(client, partner)
    assert "MARAC referral for her is still open" in response.content.decode()
    assert _partner_state(partner)["phone"] == SECRETS["phone"]
    assert Partner.objects.get(pk=partner.pk).erased_at is None


def test_a_wrong_code_erases_nothing_of_hers(client_for, org_a, world):
    partner = world["partner"]
    _end_support(partner)
    before = _partner_state(partner)
    response = _erase_hers(
        client_for(org_a.partner_support, reauthenticated=True), partner, typed=SECRETS["last_name"]
    )
    assert response.status_code == 200
    assert "Nothing has been erased." in response.content.decode()
    assert _partner_state(partner) == before


def _raw_columns(model, pk: int, columns: list[str]) -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE partner_id = %s"  # noqa: S608
            if model is not Partner
            else f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return [value for row in cursor.fetchall() for value in row]


def _readable(raw: str | None) -> str:
    return decrypt(raw) if raw else ""


def test_erasing_her_record_removes_her_identity_and_words_and_nothing_of_anyone_else(
    client_for, org_a, world
):
    partner, man, second = world["partner"], world["man"], world["second"]
    _end_support(partner)
    man_before = Participant.objects.filter(pk=man.pk).values().get()
    his_answers = sorted(
        Answer.objects.filter(response__participant=man, response__partner=None).values_list(
            "value", flat=True
        )
    )
    second_before = _partner_state(second)

    response = _erase_hers(client_for(org_a.partner_support, reauthenticated=True), partner)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[partner.public_id])

    # Gone from the database, raw encrypted columns included.
    raw = [
        *_raw_columns(
            Partner,
            partner.pk,
            ["last_name", "first_name", "phone", "email", "address", "safe_contact_notes"],
        ),
        *_raw_columns(CheckIn, partner.pk, ["actions"]),
        *_raw_columns(SafetyPlan, partner.pk, ["contacts", "safe_places"]),
        *_raw_columns(MaracReferral, partner.pk, ["outcome"]),
    ]
    readable = " ".join(
        value if not str(value).startswith("gAAAA") else _readable(value) for value in raw
    )
    assert not [v for v in raw if str(v).startswith("gAAAA") and _readable(v) != "—"]
    for value in [*SECRETS.values(), *HERS.values(), "Larkspur", "Heronsgate"]:
        assert value not in readable, value
    erased = Partner.objects.get(pk=partner.pk)
    assert erased.erased_at is not None
    assert SECRETS["last_name"].lower() not in erased.search_text
    assert erased.assessments.get().judgement_note == ""
    assert not Answer.objects.filter(response__partner=partner, value=HERS["survey"]).exists()
    # Dated, non-identifying rows stay.
    assert erased.checkins.get().feels_safe == "not_very"
    assert erased.attempts.count() == 1
    assert Answer.objects.get(response__partner=partner, question_code="feels_safe").value == (
        "not_very"
    )
    # Nothing of anyone else changed: the man's case and surveys, his other partner.
    assert Participant.objects.filter(pk=man.pk).values().get() == man_before
    assert (
        sorted(
            Answer.objects.filter(response__participant=man, response__partner=None).values_list(
                "value", flat=True
            )
        )
        == his_answers
    )
    assert _partner_state(second) == second_before
    assert man.notes.filter(text=HIS_TEXT["note"]).exists()

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (event.object_id, event.user) == (str(partner.public_id), org_a.partner_support)

    page = client_for(org_a.partner_support).get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="partner-erased"' in page.content.decode()
    listing = client_for(org_a.partner_support).get(reverse("partners:index"))
    assert listing.status_code == 200


def test_his_package_leaves_out_partner_support_views_even_after_a_change_of_role(
    client_for, org_a
):
    from dvpp.models import Role
    from participants.subject_access import man_sections
    from tests.factories import ParticipantFactory

    man = ParticipantFactory(organisation=org_a.organisation)
    worker = org_a.partner_support
    client_for(worker).get(reverse("participants:detail", args=[man.public_id]))
    type(worker).objects.filter(pk=worker.pk).update(role=Role.FACILITATOR)
    audit = next(s for s in man_sections(man) if s.key == "audit_events")
    assert audit.rows == []


def test_each_package_keeps_its_order_of_sections_whichever_app_adds_them(world):
    """The apps above add their sections through dvpp.hooks.subject_access_sections, in the order
    of INSTALLED_APPS; each package still reads in its own order, and names every section."""
    from participants.subject_access import SECTIONS as HIS
    from participants.subject_access import man_sections
    from partners.subject_access import SECTIONS as HERS
    from partners.subject_access import partner_sections

    assert [section.key for section in man_sections(world["man"])] == list(HIS)
    assert [section.key for section in partner_sections(world["partner"])] == list(HERS)
