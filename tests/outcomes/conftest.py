import datetime

import pytest
from django.utils import timezone

from outcomes import services
from outcomes.models import Instrument
from participants.models import Status
from partners.models import Partner
from tests.factories import ParticipantFactory, ReferralFactory

TODAY = timezone.localdate()


def partner_answers(*, injured: bool, feels: str) -> dict:
    return {
        "injured": "yes" if injured else "no",
        "feels_safe": feels,
        "physical": "never",
        "sexual": "never",
        "threats": "never",
        "weapon": "no",
        "controlling": "once",
        "harassment": "never",
        "children_exposure": "never",
        "space_for_action": "6",
    }


@pytest.fixture
def survey(org_a):
    return Instrument.objects.get(organisation=org_a.organisation, code="partner-safety")


@pytest.fixture
def mirabal_cohort(org_a, survey):
    """100 women whose answers match the published shape: injured 61% → 2%, "very safe"
    8% → 51% (Kelly & Westmarland 2015), asked at baseline and at exit."""
    women = []
    for i in range(100):
        man = ParticipantFactory(
            organisation=org_a.organisation,
            status=Status.COMPLETED,
            status_changed_at=timezone.now() - datetime.timedelta(days=400),
        )
        ReferralFactory(participant=man)
        woman = Partner.objects.create(
            organisation=org_a.organisation,
            participant=man,
            last_name=f"W{i}",
            first_name="Test",
            relationship="ex_partner",
        )
        services.response_record(
            instrument=survey,
            wave="baseline",
            participant=man,
            partner=woman,
            answered_on=TODAY - datetime.timedelta(days=300),
            answers=partner_answers(injured=i < 61, feels="very" if i < 8 else "not_very"),
            by=org_a.partner_support,
        )
        services.response_record(
            instrument=survey,
            wave="exit",
            participant=man,
            partner=woman,
            answered_on=TODAY - datetime.timedelta(days=10),
            answers=partner_answers(injured=i < 2, feels="very" if i < 51 else "fairly"),
            by=org_a.partner_support,
        )
        women.append(woman)
    return women
