"""The status workflow: every allowed and every refused move, with its history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Status, StatusChange
from tests.factories import ParticipantFactory, ReferralFactory

S = Status
EXITS = {S.UNSUITABLE, S.NOT_ENGAGED, S.WITHDRAWN, S.BREACHED, S.EXCLUDED, S.MOVED_AWAY}
# The workflow as the service describes it (written out here, not read from the code).
ALLOWED = {
    S.REFERRED: {S.ASSESSMENT} | EXITS,
    S.ASSESSMENT: {S.WAITING_LIST} | EXITS,
    S.WAITING_LIST: {S.ALLOCATED} | EXITS,
    S.ALLOCATED: {S.IN_PROGRAMME, S.WAITING_LIST} | EXITS,
    S.IN_PROGRAMME: {S.COMPLETED} | EXITS,
    S.COMPLETED: set(),
    **{status: set() for status in EXITS},
}
PAIRS = [(a, b) for a in Status for b in Status]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_move_is_allowed_or_refused_as_the_workflow_says(org_a, from_status, to_status):
    participant = ParticipantFactory(organisation=org_a.organisation, status=from_status)
    if to_status in ALLOWED[from_status]:
        change = services.participant_change_status(
            participant=participant, to_status=to_status, by=org_a.manager, reason="because"
        )
        participant.refresh_from_db()
        assert participant.status == to_status
        assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
            from_status,
            to_status,
            org_a.manager,
            "because",
        )
    else:
        with pytest.raises(ValidationError, match="cannot move"):
            services.participant_change_status(
                participant=participant, to_status=to_status, by=org_a.manager, reason="x"
            )
        participant.refresh_from_db()
        assert participant.status == from_status
        assert not StatusChange.objects.filter(participant=participant).exists()


@pytest.mark.parametrize("exit_status", sorted(EXITS))
def test_an_exit_needs_a_reason(org_a, exit_status):
    participant = ParticipantFactory(organisation=org_a.organisation, status=S.IN_PROGRAMME)
    with pytest.raises(ValidationError) as raised:
        services.participant_change_status(
            participant=participant, to_status=exit_status, by=org_a.manager, reason="  "
        )
    assert "reason" in raised.value.message_dict
    participant.refresh_from_db()
    assert participant.status == S.IN_PROGRAMME


def test_a_new_referral_reopens_a_closed_case(org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, status=S.WITHDRAWN)
    ReferralFactory(participant=participant)
    services.referral_add(
        participant=participant,
        by=org_a.facilitator,
        data={
            "source": ReferralFactory.build(participant=participant).source,
            "referrer_organisation": "Court",
            "made_on": timezone.localdate(),
            "received_on": timezone.localdate(),
            "reason": "Re-offended.",
        },
    )
    participant.refresh_from_db()
    assert participant.status == S.REFERRED
    assert participant.referrals.count() == 2
    last = participant.status_changes.first()
    assert (last.from_status, last.to_status) == (S.WITHDRAWN, S.REFERRED)


def test_status_form_offers_only_the_allowed_moves_and_shows_time_in_status(client_for, org_a):
    participant = ParticipantFactory(
        organisation=org_a.organisation,
        status=S.WAITING_LIST,
        status_changed_at=timezone.now() - datetime.timedelta(days=15),
    )
    content = (
        client_for(org_a.facilitator)
        .get(reverse("participants:detail", args=[participant.public_id]))
        .content.decode()
    )
    form = content.split('data-testid="status-form"')[1].split("</form>")[0]
    assert 'value="allocated"' in form
    assert 'value="in_programme"' not in form
    assert "2\xa0weeks" in content  # "for 2 weeks, 1 day"


def test_refused_move_through_the_page_says_why_and_changes_nothing(client_for, org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, status=S.REFERRED)
    client = client_for(org_a.facilitator)
    response = client.post(
        reverse("participants:change_status", args=[participant.public_id]),
        {"to_status": S.COMPLETED, "reason": ""},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == S.REFERRED


def test_exit_through_the_page_without_reason_is_refused(client_for, org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, status=S.IN_PROGRAMME)
    response = client_for(org_a.facilitator).post(
        reverse("participants:change_status", args=[participant.public_id]),
        {"to_status": S.WITHDRAWN, "reason": ""},
        follow=True,
    )
    assert "Say why the case is now" in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == S.IN_PROGRAMME


def test_exit_through_the_page_is_recorded_with_who_and_why(client_for, org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, status=S.IN_PROGRAMME)
    response = client_for(org_a.facilitator).post(
        reverse("participants:change_status", args=[participant.public_id]),
        {"to_status": S.MOVED_AWAY, "reason": "Moved to another region."},
        follow=True,
    )
    content = response.content.decode()
    assert "Status changed to “Moved away”." in content
    assert "Moved to another region." in content
    change = participant.status_changes.get()
    assert change.changed_by == org_a.facilitator


def test_reasons_the_system_writes_are_shown_in_the_readers_language(client_for, org_a):
    from participants import services as case_services
    from tests.factories import source_of

    participant = case_services.referral_intake(
        organisation=org_a.organisation,
        by=org_a.facilitator,
        participant_data={
            "last_name": "Орлов",
            "first_name": "Олег",
            "date_of_birth": datetime.date(1980, 1, 1),
        },
        referral_data={
            "source": source_of(org_a.organisation),
            "referrer_organisation": "Суд",
            "made_on": timezone.localdate(),
            "received_on": timezone.localdate(),
            "reason": "x",
        },
    )
    url = reverse("participants:detail", args=[participant.public_id])
    history = client_for(org_a.facilitator).get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Получено направление" in history.split('data-testid="case-history"')[1]
    english = client_for(org_a.facilitator).get(url).content.decode()
    assert "Referral received" in english.split('data-testid="case-history"')[1]
