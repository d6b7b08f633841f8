"""A month of a service, lived through the real pages with the clock moving day by day.

One organisation (British in English, Russian in Russian) starts on a Monday with nothing but its
staff. Over four and a half weeks it takes referrals, assesses the men, opens a group, marks four
weekly registers (absences, a late arrival with a note), and partner support makes first
contacts, records check-ins (one left overdue), raises a risk and later lowers it with a reason;
a man withdraws his consent. Every day each member of staff signs in afresh (a session does not
outlive a month) and the home page of each role is checked against the lists its cards link to.
At the end, the figures the dashboard, the group page, the case pages and the progress report
show are compared with one another and with what happened.

Every step goes through a page, as a worker would; nothing is written to the database directly
except the organisation and its staff, which an administrator would have made.
"""

import datetime
import html
import re
import uuid
import zoneinfo
from dataclasses import dataclass, field

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dvpp.models import Organisation, Role
from participants.models import CaseTask, Participant, Status
from partners.models import ContactAttempt, Partner, PartnerTask
from sessions.models import Attendance, Group
from tests.conftest import Personas, make_personas, pass_second_factor
from tests.factories import source_of

pytestmark = pytest.mark.django_db(transaction=False)

# A Monday with no public holiday in the next five weeks in either country.
FIRST_DAY = datetime.date(2026, 2, 2)
DAYS = 29

MEN = [
    # (surname, given name, patronymic) in each language: distinctive, so a page can be read.
    {"en": ("Harrowgate", "Tobias", ""), "ru": ("Заречнов", "Тимофей", "Ильич")},
    {"en": ("Pennyworth", "Alistair", ""), "ru": ("Ладыгин", "Артём", "Сергеевич")},
    {"en": ("Quarrington", "Desmond", ""), "ru": ("Шелестов", "Дмитрий", "Петрович")},
]
HER = [
    {"en": ("Harrowgate", "Imelda"), "ru": ("Заречнова", "Ирина")},
    {"en": ("Pennyworth", "Rosalind"), "ru": ("Ладыгина", "Регина")},
    {"en": ("Marchbanks", "Winifred"), "ru": ("Шелестова", "Василиса")},
]


@dataclass
class Service:
    """The organisation, its staff, and what the month has made so far."""

    language: str
    staff: Personas
    zone: zoneinfo.ZoneInfo
    men: list[Participant] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    group: Group | None = None

    @property
    def organisation(self) -> Organisation:
        return self.staff.organisation

    def client(self, role: Role) -> Client:
        """A fresh sign-in (both factors) as the organisation's member of staff in this role."""
        user = self.staff.for_role(role)
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = self.language
        client.force_login(user)
        pass_second_factor(client, user)
        return client

    def post(self, role: Role, url: str, data: dict, *, expect: str | None = None) -> str:
        """Post a form as a worker would and follow the redirect; the page must not refuse it."""
        response = self.client(role).post(url, data, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        errors = re.findall(
            r'class="invalid-feedback[^"]*"[^>]*>(.*?)</(?:div|span|p)>', page, re.S
        )
        # A refusal through the messages framework (a flag on the case is also alert-danger).
        refused = r'class="alert alert-danger alert-dismissible[^"]*"[^>]*>(.*?)</div>'
        errors += re.findall(refused, page, re.S)
        assert not errors, (url, [re.sub(r"<[^>]+>|\s+", " ", e).strip() for e in errors])
        if expect is not None:
            assert response.redirect_chain, (url, "was not saved (no redirect)")
            assert response.redirect_chain[-1][0] == expect, response.redirect_chain
        return page

    def get(self, role: Role, url: str) -> str:
        response = self.client(role).get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()


def _at(day: datetime.date, hour: int, minute: int, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


@pytest.fixture(params=["en", "ru"])
def service(request, db) -> Service:
    language = request.param
    zone = zoneinfo.ZoneInfo("Europe/London" if language == "en" else "Asia/Yekaterinburg")
    with time_machine.travel(_at(FIRST_DAY - datetime.timedelta(days=3), 9, 0, zone), tick=False):
        staff = make_personas(f"month-{language}", f"Month {language}")
        organisation = staff.organisation
        organisation.country = "GB" if language == "en" else "RU"
        organisation.holiday_region = "ENG" if language == "en" else ""
        organisation.time_zone = str(zone)
        organisation.default_language = language
        organisation.save()
    return Service(language=language, staff=staff, zone=zone)


# --- what the workers do ----------------------------------------------------------------------


def refer(service: Service, number: int, day: datetime.date) -> Participant:
    surname, given, patronymic = MEN[number][service.language]
    data = {
        "person-last_name": surname,
        "person-first_name": given,
        "person-patronymic": patronymic,
        "person-date_of_birth": f"198{number}-0{number + 3}-1{number}",
        "person-phone": f"+44 7700 90012{number}",
        "person-email": "",
        "person-preferred_language": service.language,
        "person-reminder_channel": "none",
        "person-key_worker": str(service.staff.facilitator.pk),
        "person-children_count": "1",
        "person-children_ages": "6",
        "referral-source": source_of(service.organisation).pk,
        "referral-referrer_organisation": "Probation" if service.language == "en" else "УИИ",
        "referral-made_on": (day - datetime.timedelta(days=2)).isoformat(),
        "referral-received_on": day.isoformat(),
        "referral-reason": "Referred after a conviction for assault.",
        "referral-is_statutory": "on",
        "referral-order_start_on": (day - datetime.timedelta(days=7)).isoformat(),
        "referral-order_end_on": (day + datetime.timedelta(days=365)).isoformat(),
        "referral-consent_to_share": "on",
        "referral-submission_key": str(uuid.uuid4()),
    }
    service.post(Role.FACILITATOR, reverse("participants:intake"), data)
    man = Participant.objects.get(organisation=service.organisation, last_name=surname)
    assert man.status == Status.REFERRED
    service.men.append(man)
    return man


def assess(service: Service, man: Participant, day: datetime.date) -> None:
    case = man.public_id
    service.post(
        Role.FACILITATOR,
        reverse("participants:add_appointment", args=[case]),
        {"date": day.isoformat(), "attended": "true", "assessor": service.staff.facilitator.pk},
    )
    service.post(
        Role.FACILITATOR,
        reverse("participants:decide_assessment", args=[case]),
        {
            "outcome": "suitable",
            "risk_level": "medium",
            "decided_on": day.isoformat(),
            "partner_details_passed_on": day.isoformat(),
            "reason": "",
        },
    )
    man.refresh_from_db()
    assert man.status == Status.WAITING_LIST
    # He agrees to the programme's use of his data at the assessment.
    service.post(
        Role.FACILITATOR,
        reverse("consent:add", args=[case]),
        {
            "template": _programme_consent(service).pk,
            "given_on": day.isoformat(),
            "how": "in_person",
        },
    )


def _programme_consent(service: Service):
    from consent.models import ConsentTemplate

    return ConsentTemplate.objects.get(
        organisation=service.organisation, subject="man", purpose="programme", is_current=True
    )


def withdraw_consent(service: Service, man: Participant, day: datetime.date) -> None:
    from consent.models import ManConsent

    record = ManConsent.objects.get(participant=man, withdrawn_on__isnull=True)
    service.post(
        Role.FACILITATOR,
        reverse("consent:withdraw", args=[man.public_id, record.pk]),
        {"withdrawn_on": day.isoformat(), "withdrawal_how": "phone"},
    )
    record.refresh_from_db()
    assert record.withdrawn_on == day


def add_partner(service: Service, number: int) -> Partner:
    surname, given = HER[number][service.language]
    man = service.men[number]
    data = {
        "last_name": surname,
        "first_name": given,
        "phone": f"07700 90046{number}",
        "email": "",
        "address": f"{number + 3} Larkspur Close",
        "safe_contact_notes": "Calls after 6 pm only",
        "participant": man.pk,
        "relationship": "ex_partner" if number == 2 else "partner",
        "language": service.language,
        "safe_contact_method": "call",
        "state": "not_contacted",
        "children_count": "1",
        "consent_to_contact": "on",
        "submission_key": str(uuid.uuid4()),
    }
    service.post(Role.PARTNER_SUPPORT, reverse("partners:create"), data)
    partner = Partner.objects.get(participant=man)
    service.partners.append(partner)
    return partner


def call(service: Service, partner: Partner, when: datetime.datetime, outcome: str) -> None:
    service.post(
        Role.PARTNER_SUPPORT,
        reverse("partners:add_attempt", args=[partner.public_id]),
        {"at": when.strftime("%Y-%m-%dT%H:%M"), "method": "call", "outcome": outcome},
    )


def check_in(
    service: Service, partner: Partner, day: datetime.date, *, next_due: datetime.date, level: str
) -> None:
    service.post(
        Role.PARTNER_SUPPORT,
        reverse("partners:add_checkin", args=[partner.public_id]),
        {
            "on": day.isoformat(),
            "method": "call",
            "feels_safe": "fairly",
            "actions": "Talked through the safety plan.",
            "risk_level_after": level,
            "next_due": next_due.isoformat(),
            "submission_key": str(uuid.uuid4()),
        },
    )


def assess_her_risk(service: Service, partner: Partner, day: datetime.date) -> None:
    """The checklist with 15 of its 24 questions answered yes: high risk, a MARAC referral."""
    answers = {f"answer_{n}": "yes" if n <= 15 else "no" for n in range(1, 25)}
    service.post(
        Role.PARTNER_SUPPORT,
        reverse("partners:assess_risk", args=[partner.public_id]),
        {"assessed_on": day.isoformat(), **answers},
    )
    partner.refresh_from_db()
    assert partner.risk_level == "high"
    assert partner.marac.exists()


def lower_her_risk(service: Service, partner: Partner, day: datetime.date) -> None:
    """A check-in that lowers her risk asks for a confirmation and a reason first."""
    url = reverse("partners:add_checkin", args=[partner.public_id])
    data = {
        "on": day.isoformat(),
        "method": "call",
        "feels_safe": "fairly",
        "actions": "He has moved away; injunction in place.",
        "risk_level_after": "medium",
        "next_due": (day + datetime.timedelta(days=14)).isoformat(),
        "submission_key": str(uuid.uuid4()),
    }
    refused = service.client(Role.PARTNER_SUPPORT).post(url, data)
    assert refused.status_code == 200
    assert 'name="confirm_lower"' in refused.content.decode()
    partner.refresh_from_db()
    assert partner.risk_level == "high", "lowered without a confirmation"
    assert not partner.lowerings.exists()
    reason = "Injunction granted; he has moved to another city."
    service.post(Role.PARTNER_SUPPORT, url, {**data, "confirm_lower": "on", "lower_reason": reason})
    partner.refresh_from_db()
    assert partner.risk_level == "medium"
    lowering = partner.lowerings.get()
    assert (lowering.from_level, lowering.to_level) == ("high", "medium")
    assert lowering.by == service.staff.partner_support
    assert lowering.reason == reason


def open_group(service: Service, day: datetime.date, first_session: datetime.date) -> Group:
    from sessions.curriculum import programme_install_standard

    programme = programme_install_standard(service.organisation)
    name = "Thursday evening" if service.language == "en" else "Четверг, вечер"
    service.post(
        Role.FACILITATOR,
        reverse("group_sessions:group_create"),
        {
            "programme": programme.pk,
            "name": name,
            "facilitator": service.staff.facilitator.pk,
            "venue": "Room 2",
            "weekday": first_session.weekday(),
            "start_time": "18:00",
            "duration_minutes": "150",
            "start_date": first_session.isoformat(),
            "capacity": "12",
            "intake": "rolling",
        },
    )
    service.group = Group.objects.get(organisation=service.organisation, name=name)
    for man in service.men:
        service.post(
            Role.FACILITATOR,
            reverse("group_sessions:allocate", args=[service.group.public_id]),
            {"participant": man.pk},
        )
        man.refresh_from_db()
        assert man.status == Status.ALLOCATED
    return service.group


def mark_register(service: Service, day: datetime.date, marks: dict[int, tuple[str, str]]) -> None:
    session = service.group.sessions.get(date=day)
    url = reverse("group_sessions:mark", args=[session.public_id])
    for number, (outcome, note) in marks.items():
        service.post(
            Role.FACILITATOR,
            url,
            {"participant": str(service.men[number].public_id), "outcome": outcome, "note": note},
        )


# --- the month --------------------------------------------------------------------------------

# Register marks by week (0 = the first session): man number -> (outcome, note).
WEEKS = [
    {0: ("present", ""), 1: ("present", ""), 2: ("present", "")},
    {0: ("late", "Bus was late, arrived 18:20."), 1: ("present", ""), 2: ("unauthorised", "")},
    {0: ("present", ""), 1: ("authorised", "Hospital appointment."), 2: ("unauthorised", "")},
    {0: ("present", ""), 1: ("present", ""), 2: ("unauthorised", "")},
]


def test_a_month_of_a_service(service: Service):
    zone = service.zone
    sessions_marked = 0
    with time_machine.travel(_at(FIRST_DAY, 9, 0, zone), tick=False) as clock:
        for offset in range(DAYS):
            day = FIRST_DAY + datetime.timedelta(days=offset)
            clock.move_to(_at(day, 12, 0, zone))
            if day.weekday() >= 5:
                check_every_home(service)
                continue

            # Week 1: three referrals, assessed over the next days; partner support is told.
            if offset < 3:
                man = refer(service, offset, day)
                assess(service, man, day)
                add_partner(service, offset)
            # Day 2: the first partner is reached at once; the second after two tries; the third
            # is never reached (she must come up as awaiting first contact).
            if offset == 1:
                call(service, service.partners[0], _at(day, 10, 30, zone), "reached")
                check_in(
                    service,
                    service.partners[0],
                    day,
                    next_due=day + datetime.timedelta(days=14),
                    level="medium",
                )
            if offset in (2, 4):
                outcome = "no_answer" if offset == 2 else "reached"
                call(service, service.partners[1], _at(day, 11, 0, zone), outcome)
            if offset == 4:
                # Her second check-in is due in a week and will not be done: it goes overdue.
                check_in(
                    service,
                    service.partners[1],
                    day,
                    next_due=day + datetime.timedelta(days=7),
                    level="medium",
                )
            if offset == 3:
                open_group(service, day, first_session=day)
            # Week 2: her checklist makes the first partner high risk; in week 4 it is lowered.
            if offset == 8:
                assess_her_risk(service, service.partners[0], day)
            if offset == 22:
                lower_her_risk(service, service.partners[0], day)
            # Week 3: the second man withdraws his consent by phone.
            if offset == 16:
                withdraw_consent(service, service.men[1], day)

            # Thursday evenings: the register, marked as the group starts.
            if service.group is not None and service.group.sessions.filter(date=day).exists():
                clock.move_to(_at(day, 18, 5, zone))
                mark_register(service, day, WEEKS[sessions_marked])
                sessions_marked += 1
                check_after_register(service, sessions_marked)

            homes = check_every_home(service)

        assert sessions_marked == len(WEEKS)
        check_the_last_day(service, homes)
        check_the_figures(service)
    check_the_month(service)


# --- what every page must say -----------------------------------------------------------------


CARD = re.compile(
    r'data-testid="home-card" data-card="(?P<key>[^"]+)" data-count="(?P<count>\d+)"'
    r"(?P<body>.*?)</section>",
    re.S,
)
ITEM = re.compile(r'<a href="(?P<url>[^"]+)" data-testid="home-card-item">')
LIST_URL = re.compile(r'<a class="card-link" href="(?P<url>[^"]+)" data-testid="home-card-list">')
LIST_COUNT = re.compile(r'data-testid="list-count">\D*?(\d[\d\s\xa0,]*)')
LIST_NAME = re.compile(r'<a href="(?P<url>[^"]+)"[^>]*data-testid="list-name"')


@dataclass
class Card:
    key: str
    count: int
    items: list[str]
    list_url: str


def home_cards(page: str) -> dict[str, Card]:
    cards = {}
    for match in CARD.finditer(page):
        body = match["body"]
        cards[match["key"]] = Card(
            key=match["key"],
            count=int(match["count"]),
            items=[html.unescape(m["url"]) for m in ITEM.finditer(body)],
            list_url=html.unescape(LIST_URL.search(body)["url"]),
        )
    return cards


def check_every_home(service: Service) -> dict[Role, dict[str, Card]]:
    """Each role's home, and every card on it against the list it links to: the same count,
    and its first names are the first rows of that list. Only partner support sees her name."""
    seen = {}
    for role in (Role.FACILITATOR, Role.PARTNER_SUPPORT, Role.MANAGER, Role.ADMINISTRATOR):
        page = service.get(role, reverse("home"))
        if role != Role.PARTNER_SUPPORT:
            for partner in service.partners:
                assert partner.first_name not in page, (role, "sees her name")
        cards = home_cards(page)
        assert cards, (role, "has no card")
        for card in cards.values():
            listed = service.get(role, card.list_url)
            total = LIST_COUNT.search(listed)
            if total is not None:
                assert int(re.sub(r"\D", "", total[1])) == card.count, (role, card)
                names = [html.unescape(m["url"]) for m in LIST_NAME.finditer(listed)]
                if names or 'data-testid="list-name"' not in listed:
                    assert names[: len(card.items)] == card.items, (role, card, names)
                else:
                    # The list names without a link (the staff list): the same names, in order.
                    labels = re.findall(r'data-testid="list-name">([^<]*)<', listed)
                    assert len(labels) >= len(card.items), (role, card, labels)
            else:
                # A list without a total (today's sessions): every row the card names is there.
                assert card.count == len(card.items), (role, card)
                for url in card.items:
                    assert url in listed, (role, card, url)
        seen[role] = cards
    return seen


def _on_card(cards: dict[str, Card], key: str, url: str) -> bool:
    return url in cards[key].items


def check_after_register(service: Service, week: int) -> None:
    quarrington = service.men[2]
    if week >= 2:
        # An unauthorised absence is a risk event for his ex-partner: partner support is tasked.
        tasks = PartnerTask.objects.filter(partner=service.partners[2], done_at__isnull=True)
        assert tasks.count() == week - 1
    if week == 4:
        # Three unauthorised absences: a compliance review on his case, and (statutory) a task to
        # inform the referrer.
        assert CaseTask.objects.filter(
            participant=quarrington, kind=CaseTask.Kind.COMPLIANCE_REVIEW, done_at__isnull=True
        ).exists()


def check_the_last_day(service: Service, homes: dict[Role, dict[str, Card]]) -> None:
    """What the month left to do is on the home page of the role that must do it."""
    her = [reverse("partners:detail", args=[p.public_id]) for p in service.partners]
    his = [reverse("participants:detail", args=[m.public_id]) for m in service.men]
    support, facilitator, manager = (
        homes[Role.PARTNER_SUPPORT],
        homes[Role.FACILITATOR],
        homes[Role.MANAGER],
    )
    # Never reached in four weeks: she waits for a first contact.
    assert _on_card(support, "partners-awaiting", her[2])
    # Her check-in was due on day 11 and not done.
    assert _on_card(support, "partners-overdue", her[1])
    # His absences each asked partner support to contact her.
    assert _on_card(support, "partners-tasks", her[2])
    # The first partner's risk rose at a check-in and again with the checklist: his flag waits.
    assert _on_card(facilitator, "risk-flags", his[0])
    # Three unauthorised absences: his compliance review, for the facilitator and the manager.
    assert _on_card(facilitator, "case-tasks", his[2])
    assert _on_card(manager, "decisions", his[2])
    # He withdrew his consent in week 3.
    assert _on_card(manager, "missing-consent", his[1])
    assert not _on_card(manager, "missing-consent", his[0])


def check_the_month(service: Service) -> None:
    men = service.men
    for man in men:
        man.refresh_from_db()
        assert man.status == Status.IN_PROGRAMME
    marks = Attendance.objects.filter(session__group=service.group)
    assert marks.count() == 12
    late = marks.get(participant=men[0], outcome=Attendance.Outcome.LATE)
    assert late.note == "Bus was late, arrived 18:20."
    # The third partner was never reached: no conversation, only her record.
    assert not ContactAttempt.objects.filter(partner=service.partners[2]).exists()


def _rate(page: str, testid: str) -> tuple[int | None, int | None, int]:
    """(attended, expected, per cent) as the element marked ``testid`` shows them; the counts
    are None where the element shows only the rate."""
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:dd|p)>', page, re.S)
    assert found, testid
    text = re.sub(r"<[^>]+>", "", found[1])
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    percent = re.search(r"(\d+)\s*%", text)
    assert percent, (testid, text)
    percent = int(percent[1])
    if len(numbers) >= 3:
        return numbers[0], numbers[1], percent
    return None, None, percent


def check_the_figures(service: Service) -> None:
    """On the last day the dashboard, the group page, each case page and each progress report
    show one attendance figure, and it is what the registers recorded: present or late counts
    as attended; an authorised or unauthorised absence does not."""
    attended = {0: 4, 1: 3, 2: 1}  # from WEEKS: Harrowgate late once, Pennyworth away once
    held = len(WEEKS)
    group_rate = round(100 * sum(attended.values()) / (held * len(service.men)))

    dashboard = service.get(Role.MANAGER, reverse("outcomes:index"))
    assert _rate(dashboard, "dashboard-attendance-rate")[2] == group_rate
    group_page = service.get(
        Role.FACILITATOR, reverse("group_sessions:group", args=[service.group.public_id])
    )
    assert _rate(group_page, "group-attendance-rate")[2] == group_rate
    for number, man in enumerate(service.men):
        rate = round(100 * attended[number] / held)
        case = service.get(Role.FACILITATOR, reverse("participants:detail", args=[man.public_id]))
        assert _rate(case, "attendance-rate") == (attended[number], held, rate), man
        report = service.get(Role.MANAGER, reverse("participants:progress", args=[man.public_id]))
        assert _rate(report, "progress-attendance")[:2] == (attended[number], held), man
        assert f"({rate}%)" in report or f"({rate} %)" in report, man
