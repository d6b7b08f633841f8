"""Each role's home page is its working day: every card's count and names are those of the list
it links to, with none, one and many rows, in English and Russian; another organisation's rows
never count; partner names never reach the men's side or a manager."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from consent.models import Subject, SubjectRequest
from dvpp.models import Notification, Role, User
from participants.models import CaseTask, RiskFlag, Status
from partners.models import (
    CheckIn,
    MaracReferral,
    Partner,
    PartnerTask,
    SafetyPlan,
)
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from tests.conftest import Personas
from tests.factories import ParticipantFactory, ReferralFactory, UserFactory


class _Page(HTMLParser):
    """The home cards (count, items) and a list page's rows (``data-testid="list-name"``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, dict] = {}
        self.rows: list[dict] = []
        self._card: dict | None = None
        self._text: dict | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        testid = attrs.get("data-testid")
        if testid == "home-card":
            self._card = {"count": int(attrs["data-count"]), "items": [], "list": None}
            self.cards[attrs["data-card"]] = self._card
        elif testid == "home-card-item" and self._card is not None:
            self._text = {"text": "", "href": attrs.get("href"), "tag": tag}
            self._card["items"].append(self._text)
        elif testid == "home-card-list" and self._card is not None:
            self._card["list"] = attrs["href"]
        elif testid == "list-name":
            self._text = {"text": "", "href": attrs.get("href"), "tag": tag}
            self.rows.append(self._text)
            self._depth = 0
        elif self._text is not None and tag == self._text["tag"]:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._text is not None and tag == self._text["tag"]:
            if self._depth:
                self._depth -= 1
            else:
                self._text["text"] = " ".join(self._text["text"].split())
                self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text["text"] += data


def parse(response) -> _Page:
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    return page


# Builders: n rows that belong on one card, for one organisation's personas.

TODAY = timezone.localdate


def _man(org: Personas, **fields):
    man = ParticipantFactory(organisation=org.organisation, **fields)
    ReferralFactory(participant=man)
    return man


def _partner(org: Personas, index: int, **fields) -> Partner:
    man = _man(org)
    return Partner.objects.create(
        organisation=org.organisation,
        participant=man,
        last_name=f"Quillfeather{index:02d}",
        first_name=f"Marguerite{chr(65 + index)}",
        relationship=Partner.Relationship.PARTNER,
        worker=org.partner_support,
        **fields,
    )


def _checkin(partner: Partner, next_due: datetime.date) -> None:
    CheckIn.objects.create(
        partner=partner,
        on=next_due - datetime.timedelta(days=14),
        method="call",
        feels_safe="fairly",
        risk_level_after="medium",
        next_due=next_due,
    )


def partner_tasks(org, n):
    for index in range(n):
        partner = _partner(org, index, state=Partner.State.ENGAGED)
        PartnerTask.objects.create(
            partner=partner, kind="contact_today", key=f"k{index}", reason="absence", due_on=TODAY()
        )


def overdue(org, n):
    for index in range(n):
        partner = _partner(org, index, state=Partner.State.ENGAGED)
        if index % 2:  # every other one never had a check-in
            _checkin(partner, TODAY() - datetime.timedelta(days=index))
    # Due today is not overdue.
    _checkin(_partner(org, 30, state=Partner.State.ENGAGED), TODAY())


def due_today(org, n):
    for index in range(n):
        _checkin(_partner(org, index, state=Partner.State.ENGAGED), TODAY())
    _checkin(_partner(org, 30, state=Partner.State.ENGAGED), TODAY() + datetime.timedelta(days=1))


def awaiting(org, n):
    for index in range(n):
        partner = _partner(org, index)
        referred = TODAY() - datetime.timedelta(days=70 + index)
        partner.participant.referrals.update(made_on=referred, received_on=referred)
        # Her wait is counted from the day she was passed to partner support.
        Partner.objects.filter(pk=partner.pk).update(referred_on=referred)


def marac(org, n):
    for index in range(n):
        MaracReferral.objects.create(partner=_partner(org, index, state=Partner.State.ENGAGED))
    # Sent, its meeting still to come: not due.
    MaracReferral.objects.create(
        partner=_partner(org, 30, state=Partner.State.ENGAGED),
        referred_on=TODAY(),
        meeting_on=TODAY() + datetime.timedelta(days=7),
    )


def plan_review(org, n):
    for index in range(n + 1):
        partner = _partner(org, index, state=Partner.State.ENGAGED)
        late = index < n
        SafetyPlan.objects.create(
            partner=partner,
            version=1,
            review_on=TODAY() - datetime.timedelta(days=1 if late else -30),
        )


def sessions_today(org, n):
    programme = programme_install_standard(org.organisation)
    for index in range(n):
        session_services.group_create(
            organisation=org.organisation,
            by=org.manager,
            data={
                "programme": programme,
                "name": f"Group {index}",
                "facilitator": org.facilitator,
                "co_facilitator": None,
                "venue": "Room 2",
                "weekday": TODAY().weekday(),
                "start_time": datetime.time(8 + index, 0),
                "duration_minutes": 60,
                "start_date": TODAY() - datetime.timedelta(weeks=2),
                "capacity": 12,
                "intake": "rolling",
            },
        )


def risk_flags(org, n):
    for index in range(n):
        RiskFlag.objects.create(
            organisation=org.organisation,
            participant=_man(org, key_worker=org.facilitator),
            raised_on=TODAY() - datetime.timedelta(days=index),
        )
    # Not his case; and one he acknowledged.
    RiskFlag.objects.create(organisation=org.organisation, participant=_man(org), raised_on=TODAY())
    RiskFlag.objects.create(
        organisation=org.organisation,
        participant=_man(org, key_worker=org.facilitator),
        raised_on=TODAY(),
        acknowledged_at=timezone.now(),
    )


def _task(org, man, kind, index, **fields):
    CaseTask.objects.create(
        organisation=org.organisation,
        participant=man,
        kind=kind,
        key=f"t{index}",
        created_at=timezone.now() - datetime.timedelta(hours=index),
        **fields,
    )


def case_tasks(org, n):
    kinds = list(CaseTask.Kind)
    for index in range(n):
        _task(org, _man(org, key_worker=org.facilitator), kinds[index % len(kinds)], index)
    _task(org, _man(org), CaseTask.Kind.COMPLIANCE_REVIEW, 99)  # not his case
    _task(
        org, _man(org, key_worker=org.facilitator), "compliance_review", 98, done_at=timezone.now()
    )


def decisions(org, n):
    kinds = ["compliance_review", "confirm_completion", "confirm_non_completion"]
    for index in range(n):
        _task(org, _man(org), kinds[index % 3], index)
    _task(org, _man(org), CaseTask.Kind.INFORM_REFERRER, 99)  # an action, not a decision


def failed_notifications(org, n):
    for index, kind in enumerate(["reminder", "outcome_report", "iss_digest"] * 3):
        if index < n:
            Notification.objects.create(
                organisation=org.organisation,
                key=f"{org.organisation.slug}-{index}",
                kind=kind,
                channel="email",
                to=f"staff{index}@example.org",
                body="…",
                state=Notification.State.FAILED,
            )
    Notification.objects.create(
        organisation=org.organisation,
        key=f"{org.organisation.slug}-sent",
        kind="reminder",
        channel="email",
        to="sent@example.org",
        body="…",
        state=Notification.State.SENT,
    )


def missing_consent(org, n):
    for _index in range(n):
        _man(org)
    _man(org, status=Status.COMPLETED)  # a closed case needs none


def data_requests(org, n):
    for index in range(n):
        SubjectRequest.objects.create(
            organisation=org.organisation,
            subject=Subject.MAN,
            participant=_man(org),
            kind="access",
            received_on=TODAY() - datetime.timedelta(days=28),
            due_on=TODAY() + datetime.timedelta(days=index - 2),  # two already late
            recorded_by=org.manager,
        )
    # Far from its deadline; answered; a partner's (behind the wall).
    for due, answered in [(30, None), (1, TODAY())]:
        SubjectRequest.objects.create(
            organisation=org.organisation,
            subject=Subject.MAN,
            participant=_man(org),
            kind="erasure",
            received_on=TODAY(),
            due_on=TODAY() + datetime.timedelta(days=due),
            answered_on=answered,
            recorded_by=org.manager,
        )
    SubjectRequest.objects.create(
        organisation=org.organisation,
        subject=Subject.PARTNER,
        partner=_partner(org, 40),
        kind="access",
        received_on=TODAY(),
        due_on=TODAY(),
        recorded_by=org.partner_support,
    )


def _staff(org, n, prefix):
    return [
        UserFactory(
            username=f"{org.organisation.slug}-{prefix}{index}",
            first_name=f"Ellis{index}",
            last_name=f"Marchbank{chr(65 + index)}",
            organisation=org.organisation,
            role=Role.FACILITATOR,
        )
        for index in range(n)
    ]


def no_two_factor(org, n):
    for member in User.objects.filter(organisation=org.organisation):
        TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    _staff(org, n, "nofactor")
    # An unconfirmed device is not a second factor; a left member is not staff.
    UserFactory(organisation=org.organisation, role=Role.MANAGER, is_active=False)


def locked(org, n):
    for index, member in enumerate(_staff(org, n + 1, "locked")):
        attempt = AccessAttempt.objects.create(
            username=member.username,
            ip_address="192.0.2.1",
            user_agent="test",
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/accounts/login/",
            failures_since_start=5 if index < n else 2,  # the last one is not locked yet
        )
        AccessAttemptExpiration.objects.create(
            access_attempt=attempt, expires_at=timezone.now() + datetime.timedelta(minutes=10)
        )
    expired = _staff(org, 1, "unlocked")[0]
    attempt = AccessAttempt.objects.create(
        username=expired.username,
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=9,
    )
    AccessAttemptExpiration.objects.create(
        access_attempt=attempt, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


@dataclass
class Card:
    role: Role
    key: str
    build: Callable[[Personas, int], None]
    # Sessions: the card names the time and group, the list adds the theme.
    exact: bool = True


CARDS = [
    Card(Role.PARTNER_SUPPORT, "partners-tasks", partner_tasks),
    Card(Role.PARTNER_SUPPORT, "partners-overdue", overdue),
    Card(Role.PARTNER_SUPPORT, "partners-due-today", due_today),
    Card(Role.PARTNER_SUPPORT, "partners-awaiting", awaiting),
    Card(Role.PARTNER_SUPPORT, "partners-marac", marac),
    Card(Role.PARTNER_SUPPORT, "partners-plan-review", plan_review),
    Card(Role.FACILITATOR, "sessions-today", sessions_today, exact=False),
    Card(Role.FACILITATOR, "risk-flags", risk_flags),
    Card(Role.FACILITATOR, "case-tasks", case_tasks),
    Card(Role.MANAGER, "decisions", decisions),
    Card(Role.MANAGER, "failed-notifications", failed_notifications),
    Card(Role.MANAGER, "missing-consent", missing_consent),
    Card(Role.MANAGER, "data-requests", data_requests),
    Card(Role.ADMINISTRATOR, "no-two-factor", no_two_factor),
    Card(Role.ADMINISTRATOR, "locked", locked),
]
CARDS_BY_ROLE = {role: {card.key for card in CARDS if card.role == role} for role in Role}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("rows", [0, 1, 7])
@pytest.mark.parametrize("spec", CARDS, ids=lambda spec: spec.key)
def test_card_agrees_with_the_list_it_links_to(client_for, org_a, org_b, spec, rows, language):
    spec.build(org_a, rows)
    spec.build(org_b, 3)  # another organisation's rows never count
    client = client_for(org_a.for_role(spec.role))
    client.cookies["django_language"] = language

    home = parse(client.get(reverse("home")))
    assert set(home.cards) == CARDS_BY_ROLE[spec.role]
    card = home.cards[spec.key]
    listing = parse(client.get(card["list"]))

    assert card["count"] == rows == len(listing.rows)
    assert len(card["items"]) == min(rows, 5)
    for item, row in zip(card["items"], listing.rows, strict=False):
        if spec.exact:
            assert item["text"] == row["text"]
        else:
            assert item["text"] in row["text"]
        if row["href"]:
            assert item["href"] == row["href"]
        else:
            assert item["href"] == card["list"]
    # Where the list says how many it holds, it says the card's number.
    content = client.get(card["list"]).content.decode()
    if 'data-testid="list-count"' in content:
        counted = content.split('data-testid="list-count"')[1].split("<")[0]
        assert re.search(r"\d+", counted).group() == str(rows)


def test_card_shows_the_first_five_and_links_to_all(client_for, org_a):
    overdue(org_a, 7)
    content = client_for(org_a.partner_support).get(reverse("home")).content.decode()
    card = content.split('data-card="partners-overdue"')[1].split("</section>")[0]
    assert "Show all 7" in card
    assert f'href="{reverse("partners:index")}?show=overdue"' in card


def test_an_empty_card_says_so_in_russian(client_for, org_a):
    client = client_for(org_a.partner_support)
    client.cookies["django_language"] = "ru"
    content = client.get(reverse("home")).content.decode()
    card = content.split('data-card="partners-overdue"')[1].split("</section>")[0]
    assert "Нет просроченных" in card


def _everything(org: Personas, rows: int) -> None:
    for spec in CARDS:
        spec.build(org, rows)


def test_no_partner_name_on_the_mens_side_or_a_managers_home(client_for, org_a):
    _everything(org_a, 3)
    names = list(Partner.objects.values_list("last_name", flat=True))
    assert names
    for role in (Role.FACILITATOR, Role.MANAGER, Role.ADMINISTRATOR, Role.COALITION_ANALYST):
        content = client_for(org_a.for_role(role)).get(reverse("home")).content.decode()
        for name in names:
            assert name not in content
            assert "Marguerite" not in content


@pytest.mark.parametrize(
    "role,budget",
    [
        # Two queries a card (its first rows, its count) and the calendar: none per row.
        (Role.PARTNER_SUPPORT, 18),  # and the audit of her names shown
        (Role.FACILITATOR, 10),
        (Role.MANAGER, 12),
        (Role.ADMINISTRATOR, 8),
    ],
)
def test_home_query_count_with_many_rows(
    client_for, org_a, role, budget, django_assert_max_num_queries
):
    _everything(org_a, 8)
    client = client_for(org_a.for_role(role))
    client.get(reverse("home"))  # the session's first request
    with django_assert_max_num_queries(budget):
        client.get(reverse("home"))


def test_partner_names_on_her_home_are_an_audited_read(client_for, org_a):
    from dvpp.models import AuditEvent

    client_for(org_a.partner_support).get(reverse("home"))
    assert not AuditEvent.objects.filter(object_type="partners.partner").exists()  # none shown
    overdue(org_a, 2)
    client_for(org_a.partner_support).get(reverse("home"))
    event = AuditEvent.objects.get(object_type="partners.partner", object_id="home")
    assert (event.user, event.action) == (org_a.partner_support, AuditEvent.Action.VIEW)
