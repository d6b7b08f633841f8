import datetime

import pytest
from django.utils import timezone

from partners import services
from partners.models import ContactAttempt, Partner
from tests.factories import ParticipantFactory, ReferralFactory

# Values that identify or locate her: none may ever reach the men's side.
SECRETS = {
    "last_name": "Weatherbury",
    "first_name": "Araminta",
    "phone": "07700 900461",
    "email": "araminta.hidden@example.org",
    "address": "14 Larkspur Close, Dunmore",
    "safe_contact_notes": "Text only after 8 pm; code word Heronsgate",
}


@pytest.fixture
def man(org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, last_name="Okafor")
    ReferralFactory(
        participant=participant,
        received_on=timezone.localdate() - datetime.timedelta(days=40),
        made_on=timezone.localdate() - datetime.timedelta(days=41),
    )
    return participant


@pytest.fixture
def partner(org_a, man):
    """Her record as it is stored, already there when a test begins: the audit rows a test
    counts are of what it does itself (making her record through partner_create, as the page
    does, is audited, and is tested through the page)."""
    return Partner.objects.create(
        organisation=org_a.organisation,
        worker=org_a.partner_support,
        participant=man,
        # Passed to partner support with his referral, 40 days ago.
        **SECRETS,
        relationship="ex_partner",
        referred_on=man.referrals.get().received_on,
    )


@pytest.fixture
def reached(org_a, partner):
    """She was reached three weeks ago."""
    services.contact_attempt_record(
        partner=partner,
        by=org_a.partner_support,
        at=timezone.now() - datetime.timedelta(days=21),
        method="call",
        outcome=ContactAttempt.Outcome.REACHED,
    )
    return partner
