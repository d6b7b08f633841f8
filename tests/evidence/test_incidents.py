"""Incidents after referral, and harm as data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evidence.models import Incident, IncidentCategory
from evidence.services import harm_in_window, incident_record
from tests.factories import OrganisationFactory, ParticipantFactory, ReferralFactory

REFERRED = datetime.date(2026, 1, 10)


@pytest.fixture
def man(org_a):
    participant = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(
        participant=participant, received_on=REFERRED, made_on=REFERRED - datetime.timedelta(1)
    )
    return participant


def category(organisation, code):
    return IncidentCategory.objects.get(organisation=organisation, code=code)


def test_every_organisation_starts_with_weighted_categories_in_both_languages(org_a, db):
    uk = category(org_a.organisation, "abh")
    assert uk.harm_weight == Decimal("184") and uk.label_ru
    ural = OrganisationFactory(slug="ural", country="RU", holiday_region="")
    assert category(ural, "battery-admin").label_ru == "Побои (ст. 6.1.1 КоАП РФ)"


def test_the_harm_in_a_window_is_the_sum_of_the_weights(org_a, man):
    for day, code in ((datetime.date(2026, 3, 1), "abh"), (datetime.date(2026, 6, 1), "stalking")):
        incident_record(
            participant=man,
            by=org_a.facilitator,
            occurred_on=day,
            known_via="police",
            category=category(org_a.organisation, code),
        )
    assert harm_in_window(man, start=REFERRED, months=12) == Decimal("204")
    assert harm_in_window(man, start=REFERRED, months=3) == Decimal("184")


def test_an_incident_before_his_referral_or_in_the_future_is_refused(org_a, man):
    for day in (
        REFERRED - datetime.timedelta(days=1),
        timezone.localdate() + datetime.timedelta(1),
    ):
        with pytest.raises(ValidationError):
            incident_record(
                participant=man,
                by=org_a.facilitator,
                occurred_on=day,
                known_via="police",
                category=category(org_a.organisation, "abh"),
            )
    assert not Incident.objects.exists()


def test_a_category_of_another_organisation_is_refused(org_a, org_b, man):
    with pytest.raises(ValidationError, match="this organisation"):
        incident_record(
            participant=man,
            by=org_a.facilitator,
            occurred_on=datetime.date(2026, 3, 1),
            known_via="police",
            category=category(org_b.organisation, "abh"),
        )


def test_a_negative_harm_weight_is_refused(org_a):
    entry = category(org_a.organisation, "abh")
    entry.harm_weight = Decimal("-1")
    with pytest.raises(ValidationError):
        entry.full_clean()


def test_an_incident_reported_to_partner_support_is_confidential(org_a, man):
    incident = incident_record(
        participant=man,
        by=org_a.partner_support,
        occurred_on=datetime.date(2026, 3, 1),
        known_via="partner_support",
        category=category(org_a.organisation, "threats-to-kill"),
    )
    assert incident.is_confidential
