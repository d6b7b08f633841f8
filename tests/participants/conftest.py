import pytest

from tests.factories import ParticipantFactory, ReferralFactory


@pytest.fixture
def case_a(org_a):
    """A referred man in organisation A, with one referral."""
    participant = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(participant=participant)
    return participant


@pytest.fixture
def case_b(org_b):
    participant = ParticipantFactory(organisation=org_b.organisation)
    ReferralFactory(participant=participant)
    return participant
