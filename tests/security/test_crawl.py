"""The crawl: sign in as someone outside the wall, follow every link from the home page, search
every search box for her, download every file, and find nothing of her anywhere.

A man's ex-partner is in the database with everything partner support records about her: name,
phone, e-mail, address, safe contact notes, a check-in in her words, a high risk assessment on
professional judgement, a MARAC referral, a safety plan, and a survey with her comments. Her
risk has put a flag on his case. He is in a group, with marks on its register, notes, an
assessment and survey answers of his own.
"""

import datetime
from urllib.parse import quote, quote_plus

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dvpp.models import Role
from outcomes import services as outcome_services
from outcomes.models import Instrument
from participants import services as case_services
from participants.models import Status
from partners import services as partner_services
from partners.models import RiskChecklist
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from sessions.models import Attendance
from tests.factories import ParticipantFactory, ReferralFactory, category_of
from tests.partners.conftest import SECRETS

from .crawl import crawl, readable_text

# What partner support wrote about her in the seed: none of it may reach the men's side either.
HER_WORDS = {
    "checkin": "He waited outside Thistlewood school gates",
    "judgement": "Brackenholt: he has bought a knife",
    "marac": "MARAC agreed a Quillon refuge place",
    "plan": "Marigold Refuge, ask for Ruth",
    "survey": "Wrenfield is where I feel safe now",
}
# Searched for in every search box (what a facilitator could type about her).
SEARCHED = [
    SECRETS["last_name"],
    f"{SECRETS['first_name']} {SECRETS['last_name']}",
    SECRETS["phone"],
    SECRETS["email"],
    SECRETS["address"],
]
# Looked for in every response: each value whole, and the distinctive words inside them.
HUNTED = [
    *SECRETS.values(),
    *HER_WORDS.values(),
    "Larkspur",
    "Heronsgate",
    "07700900461",
    "Thistlewood",
    "Brackenholt",
    "Quillon",
    "Marigold",
    "Wrenfield",
]
# Measured with this seed: a facilitator's crawl visits 115 pages (30-odd of them registers), a
# manager's 186 (the dashboard and audit log in each of their filters, and every export). The
# floors leave room for pages to change without letting the crawl quietly stop looking.
MIN_PAGES = {Role.FACILITATOR: 100, Role.MANAGER: 160}


@pytest.fixture
def seeded(org_a, org_b):
    today = timezone.localdate()
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Okafor")
    ReferralFactory(
        participant=man,
        made_on=today - datetime.timedelta(days=61),
        received_on=today - datetime.timedelta(days=60),
    )
    case_services.assessment_add_appointment(
        participant=man,
        by=org_a.facilitator,
        date=today - datetime.timedelta(days=40),
        attended=True,
        assessor=org_a.facilitator,
    )
    case_services.assessment_decide(
        participant=man,
        by=org_a.facilitator,
        outcome="suitable",
        reason="Motivated",
        risk_level="medium",
        partner_details_passed_on=today - datetime.timedelta(days=39),
        decided_on=today - datetime.timedelta(days=39),
    )
    case_services.case_note_add(
        participant=man,
        by=org_a.facilitator,
        category=category_of(org_a.organisation),
        text="Phoned him about the group start.",
    )
    programme = programme_install_standard(org_a.organisation)
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme,
            "name": "Tuesday group",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Room 2",
            "weekday": today.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": today - datetime.timedelta(weeks=2),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    sessions = list(group.sessions.order_by("date"))
    session_services.enrolment_allocate(
        participant=man, group=group, by=org_a.manager, first_session=sessions[0]
    )
    for session, outcome in zip(sessions[:2], ["present", "unauthorised"], strict=True):
        session_services.attendance_mark(
            session=session, participant=man, outcome=outcome, by=org_a.facilitator, note="ok"
        )
    waiting = ParticipantFactory(organisation=org_a.organisation, status=Status.WAITING_LIST)
    ReferralFactory(participant=waiting)
    session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme,
            "name": "Thursday group",
            "facilitator": org_a.manager,
            "co_facilitator": org_a.facilitator,
            "venue": "Room 3",
            "weekday": (today + datetime.timedelta(days=2)).weekday(),
            "start_time": datetime.time(10, 0),
            "duration_minutes": 150,
            "start_date": today + datetime.timedelta(days=2),
            "capacity": 12,
            "intake": "closed",
        },
    )

    partner = partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={**SECRETS, "relationship": "ex_partner", "consent_to_contact": True},
    )
    partner_services.contact_attempt_record(
        partner=partner,
        by=org_a.partner_support,
        at=timezone.now() - datetime.timedelta(days=20),
        method="call",
        outcome="reached",
    )
    partner_services.risk_assess(
        partner=partner,
        by=org_a.partner_support,
        checklist=RiskChecklist.objects.get(organisation=org_a.organisation),
        yes_items=[1, 2, 3],
        assessed_on=today - datetime.timedelta(days=19),
        professional_judgement=True,
        judgement_note=HER_WORDS["judgement"],
    )
    partner_services.marac_update(
        referral=partner.marac.get(),
        referred_on=today - datetime.timedelta(days=18),
        meeting_on=today - datetime.timedelta(days=10),
        outcome=HER_WORDS["marac"],
    )
    partner_services.safety_plan_save(
        partner=partner,
        by=org_a.partner_support,
        sections={"contacts": HER_WORDS["plan"], "safe_places": SECRETS["address"]},
        review_on=today + datetime.timedelta(days=30),
    )
    partner_services.checkin_record(
        partner=partner,
        by=org_a.partner_support,
        data={
            "on": today - datetime.timedelta(days=3),
            "method": "call",
            "feels_safe": "not_very",
            "incidents": ["threats"],
            "injuries": False,
            "police_called": True,
            "actions": HER_WORDS["checkin"],
            "risk_level_after": "high",
            "next_due": today + datetime.timedelta(days=4),
        },
    )
    outcome_services.response_record(
        instrument=Instrument.objects.get(organisation=org_a.organisation, code="partner-safety"),
        wave="baseline",
        participant=man,
        partner=partner,
        answered_on=today - datetime.timedelta(days=19),
        answers={
            "injured": "yes",
            "feels_safe": "not_very",
            "physical": "never",
            "sexual": "never",
            "threats": "often",
            "weapon": "no",
            "controlling": "often",
            "harassment": "never",
            "children_exposure": "never",
            "space_for_action": "3",
            "comments": HER_WORDS["survey"],
        },
        by=org_a.partner_support,
    )
    assert man.risk_flags.filter(acknowledged_at__isnull=True).exists()
    assert Attendance.objects.filter(participant=man).count() == 2
    return {"man": man, "group": group, "session": sessions[0], "partner": partner}


def _without_echo(visit) -> str:
    """The page less the places where it shows back what was typed into its search box (the box
    itself, and links that keep the search): a result listing her would still be caught."""
    text = visit.text
    if visit.typed:
        for echo in (
            f'value="{escape(visit.typed)}"',
            quote_plus(visit.typed),
            quote(visit.typed),
            escape(quote_plus(visit.typed)),
        ):
            text = text.replace(echo, "")
    return text


def _squeezed(text: str) -> str:
    # PDF text extraction may break or join words; compare without any whitespace too.
    return "".join(text.split())


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.MANAGER])
def test_nothing_of_her_reaches_anyone_outside_the_wall(client_for, org_a, seeded, role):
    client = client_for(org_a.for_role(role), reauthenticated=True)
    result = crawl(client, search_values=SEARCHED, limit=400)

    found = []
    for visit in result.visits:
        text = _without_echo(visit)
        for secret in HUNTED:
            if secret in text or _squeezed(secret) in _squeezed(text):
                found.append((visit.url, secret, "body"))
            if secret in visit.headers:
                found.append((visit.url, secret, "headers"))
    assert not found, found

    # The crawl really looked.
    statuses = {visit.url: visit.status for visit in result.visits}
    assert len(result.visits) >= MIN_PAGES[role], len(result.visits)
    assert result.forms_submitted >= len(SEARCHED)
    assert not [url for url, status in statuses.items() if status >= 500]
    refused = [url for url, status in statuses.items() if status in {403, 404}]
    assert not refused, f"links to pages this role may not open: {refused}"
    man, group, session = seeded["man"], seeded["group"], seeded["session"]
    for key_page in (
        reverse("participants:index"),
        reverse("participants:detail", args=[man.public_id]),
        reverse("group_sessions:group", args=[group.public_id]),
        reverse("group_sessions:register", args=[session.public_id]),
        reverse("participants:progress", args=[man.public_id]),
    ):
        assert key_page in result.paths, key_page
    downloads = {visit.content_type.split(";")[0] for visit in result.visits if visit.status == 200}
    assert "application/pdf" in downloads  # the progress report
    if role == Role.MANAGER:
        assert {
            "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        } <= (downloads)
        assert reverse("outcomes:index") in result.paths
        assert reverse("audit_log") in result.paths


def test_his_subject_access_package_carries_nothing_of_her(client_for, org_a, seeded):
    """The one file made for the man himself to read."""
    client = client_for(org_a.manager, reauthenticated=True)
    url = reverse("participants:subject_access", args=[seeded["man"].public_id])
    response = client.post(url)
    assert response.status_code == 200
    text = readable_text(response["Content-Type"], response.content)
    assert seeded["man"].last_name in text  # the package was read: his own record is in it
    for secret in HUNTED:
        assert secret not in text and _squeezed(secret) not in _squeezed(text), secret
