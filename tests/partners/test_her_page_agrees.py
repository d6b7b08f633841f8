"""Issue 19, item 6: her page agrees with itself. Consent is shown from the consent records
alone; partners of the same name are told apart in every list (his case reference, her worker);
time to first contact counts from the day she was passed to partner support, the same on her
page, on the awaiting-contact list and in the figures."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentTemplate
from dvpp.calendar import OrganisationCalendar
from dvpp.models import Role
from outcomes.figures import Filters, programme_figures
from partners import selectors, services
from partners.models import ContactAttempt, Partner, PartnerTask
from partners.services import partner_consent_give, partner_consent_withdraw
from tests.factories import ParticipantFactory, ReferralFactory, UserFactory

from .conftest import SECRETS

TODAY = timezone.localdate()


def _page(client, partner) -> str:
    return client.get(reverse("partners:detail", args=[partner.public_id])).content.decode()


def _dd(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}">')[1].split("</dd>")[0]


def _section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</section>")[0]


def _reach(org, partner, at=None) -> None:
    services.contact_attempt_record(
        partner=partner,
        by=org.partner_support,
        at=at or timezone.now() - datetime.timedelta(minutes=5),
        method="call",
        outcome=ContactAttempt.Outcome.REACHED,
    )


# Consent, from the consent records alone ---------------------------------------------------


def test_her_consent_summary_follows_the_consent_records(client_for, org_a, partner):
    # The old checkbox said yes; no consent was recorded: her page must not say "yes".
    Partner.objects.filter(pk=partner.pk).update(consent_to_contact=True, consent_scope="All")
    client = client_for(org_a.partner_support)
    page = _page(client, partner)
    assert "no valid consent recorded" in _dd(page, "partner-consent")
    assert "No consent recorded yet." in page

    template = ConsentTemplate.objects.get(
        organisation=org_a.organisation, subject="partner", purpose="support", is_current=True
    )
    record = partner_consent_give(
        partner=partner, template=template, given_on=TODAY, how="phone", by=org_a.partner_support
    )
    page = _page(client, partner)
    assert _dd(page, "partner-consent") == template.title
    assert "No consent recorded yet." not in page

    partner_consent_withdraw(record=record, on=TODAY, how="phone", by=org_a.partner_support)
    assert "no valid consent recorded" in _dd(_page(client, partner), "partner-consent")


def test_the_partner_form_no_longer_asks_a_second_consent_question(client_for, org_a, partner):
    page = client_for(org_a.partner_support).get(reverse("partners:edit", args=[partner.public_id]))
    assert 'name="consent_to_contact"' not in page.content.decode()


# Two partners of the same name -------------------------------------------------------------


@pytest.fixture
def two_rachels(org_a):
    """Two partners called Rachel Baxter, of two men, with two workers; both engaged but never
    reached (overdue and awaiting), each with a task."""
    second_worker = UserFactory(
        organisation=org_a.organisation, role=Role.PARTNER_SUPPORT, last_name="Quennell"
    )
    rachels = []
    for reference, worker in (("70011", org_a.partner_support), ("70012", second_worker)):
        man = ParticipantFactory(organisation=org_a.organisation, reference=reference)
        ReferralFactory(
            participant=man,
            received_on=TODAY - datetime.timedelta(days=40),
            made_on=TODAY - datetime.timedelta(days=41),
        )
        partner = services.partner_create(
            organisation=org_a.organisation,
            by=org_a.partner_support,
            participant=man,
            data={
                **SECRETS,
                "last_name": "Baxter",
                "first_name": "Rachel",
                "relationship": "partner",
                "state": "engaged",
                "worker": worker,
                "referred_on": TODAY - datetime.timedelta(days=40),
            },
        )
        PartnerTask.objects.create(
            partner=partner, kind="contact_today", key=reference, reason="absence", due_on=TODAY
        )
        rachels.append(partner)
    return rachels


def _told_apart(html: str, rachels) -> None:
    for partner in rachels:
        who = f"partner of {partner.participant.reference}, worker {partner.worker}"
        assert who in html, who


def test_partners_of_the_same_name_are_told_apart_in_every_list(
    client_for, org_a, two_rachels, django_assert_max_num_queries
):
    client = client_for(org_a.partner_support)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("partners:index")).content.decode()
    for testid in ("partner-tasks", "overdue", "awaiting"):
        _told_apart(_section(page, testid), two_rachels)
    table = page.split('data-testid="partner-table"')[1].split("</table>")[0]
    for partner in two_rachels:
        assert partner.participant.reference in table and str(partner.worker) in table
    for show in ("overdue", "awaiting", "tasks"):
        listed = client.get(reverse("partners:index"), {"show": show}).content.decode()
        table = listed.split('data-testid="partner-table"')[1].split("</table>")[0]
        assert re.findall(r'data-testid="partner-of-reference">(\d+)', table) == [
            "70011",
            "70012",
        ], show


def test_partners_of_the_same_name_are_told_apart_on_her_home_cards(client_for, org_a, two_rachels):
    page = client_for(org_a.partner_support).get(reverse("home")).content.decode()
    for key in ("partners-tasks", "partners-overdue", "partners-awaiting"):
        card = page.split(f'data-card="{key}"')[1].split("</section>")[0]
        _told_apart(card, two_rachels)


def test_the_selectors_bring_his_reference_and_her_worker_without_a_query_per_row(
    org_a, two_rachels, django_assert_num_queries
):
    overdue = selectors.overdue_checkins(org_a.partner_support)
    awaiting = selectors.awaiting_contact(org_a.partner_support)
    tasks = list(selectors.open_tasks(org_a.partner_support))
    with django_assert_num_queries(0):
        seen = [
            (p.participant.reference, str(p.worker))
            for p in [*overdue, *awaiting, *(t.partner for t in tasks)]
        ]
    assert sorted(seen) == sorted((p.participant.reference, str(p.worker)) for p in two_rachels * 3)


def test_the_lists_are_refused_to_a_facilitator_and_hide_another_organisation(
    client_for, org_a, org_b, two_rachels
):
    assert client_for(org_a.facilitator).get(reverse("partners:index")).status_code == 403
    page = client_for(org_b.partner_support).get(reverse("partners:index")).content.decode()
    assert "Rachel" not in page and "70011" not in page


# Time to first contact ---------------------------------------------------------------------


def test_a_partner_added_today_has_not_waited_since_his_old_referral(client_for, org_a):
    man = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(
        participant=man, received_on=datetime.date(2024, 11, 4), made_on=datetime.date(2024, 11, 1)
    )
    client = client_for(org_a.partner_support)
    response = client.post(
        reverse("partners:create"),
        {
            "participant": man.pk,
            "last_name": "Baxter",
            "first_name": "Rachel",
            "relationship": "partner",
            "language": "en",
            "safe_contact_method": "call",
            "state": "not_contacted",
            "referred_on": "",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.referred_on == TODAY
    assert selectors.awaiting_contact(org_a.partner_support) == []
    page = client.get(reverse("partners:index")).content.decode()
    assert "since she was passed" not in _section(page, "awaiting")
    _reach(org_a, partner)
    page = _page(client, partner)
    assert "0 working days after she was passed to partner support" in page


def test_a_day_passed_in_the_future_is_refused(client_for, org_a, man):
    response = client_for(org_a.partner_support).post(
        reverse("partners:create"),
        {
            "participant": man.pk,
            "last_name": "Baxter",
            "first_name": "Rachel",
            "relationship": "partner",
            "language": "en",
            "safe_contact_method": "call",
            "state": "not_contacted",
            "referred_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "This date is in the future." in response.content.decode()
    assert not Partner.objects.exists()


def test_her_page_the_awaiting_list_and_the_figures_count_from_one_day(client_for, org_a):
    man = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(
        participant=man, received_on=datetime.date(2024, 11, 4), made_on=datetime.date(2024, 11, 1)
    )
    passed = TODAY - datetime.timedelta(days=30)
    partner = services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={**SECRETS, "relationship": "partner", "referred_on": passed},
    )
    calendar = OrganisationCalendar(org_a.organisation)
    waited = calendar.working_days_between(passed, TODAY)
    awaiting = selectors.awaiting_contact(org_a.partner_support)
    assert [(p.pk, p.working_days) for p in awaiting] == [(partner.pk, waited)]
    client = client_for(org_a.partner_support)
    panel = _section(client.get(reverse("partners:index")).content.decode(), "awaiting")
    assert f"{waited} working days since she was passed to partner support" in panel

    _reach(org_a, partner)
    assert selectors.days_to_first_contact(partner) == waited
    assert f"{waited} working days after she was passed" in _page(client, partner)
    org_a.organisation.min_cell_size = 1
    org_a.organisation.save()
    figures = programme_figures(org_a.organisation, Filters())
    # In calendar days, from the same day (not from his 2024 referral).
    assert figures["median_days_to_first_contact"] == (TODAY - passed).days


def test_existing_partners_start_from_the_referral_that_brought_them(org_a):
    migration = importlib.import_module(
        "partners.migrations.0011_risk_answers_lowering_and_referred_on"
    )
    man = ParticipantFactory(organisation=org_a.organisation)
    for days_ago in (400, 150, 50):
        ReferralFactory(
            participant=man,
            received_on=TODAY - datetime.timedelta(days=days_ago),
            made_on=TODAY - datetime.timedelta(days=days_ago + 1),
        )
    partner = services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={**SECRETS, "relationship": "partner"},
    )
    Partner.objects.filter(pk=partner.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100)
    )
    loner = services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=ParticipantFactory(organisation=org_a.organisation),
        data={**SECRETS, "relationship": "partner", "referred_on": TODAY - datetime.timedelta(3)},
    )
    migration.fill(django_apps, None)
    partner.refresh_from_db()
    loner.refresh_from_db()
    assert partner.referred_on == TODAY - datetime.timedelta(days=150)
    assert loner.referred_on == TODAY  # no referral of his: the day she was recorded
