"""A referral comes in: the intake form opens a case, and bad input saves nothing."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Participant, Referral, Status
from tests.factories import OrganisationFactory, UserFactory, source_of

TODAY = timezone.localdate()


def intake_data(org, **changes) -> dict:
    data = {
        "person-last_name": "Семёнов",
        "person-first_name": "Пётр",
        "person-patronymic": "Ильич",
        "person-date_of_birth": "1985-04-12",
        "person-phone": "+7 900 000-00-00",
        "person-email": "",
        "person-preferred_language": "ru",
        "person-reminder_channel": "sms",
        "person-reminder_consent": "on",
        "person-children_count": "2",
        "person-children_ages": "4, 9",
        "referral-source": source_of(org.organisation).pk,
        "referral-referrer_organisation": "Ленинский районный суд",
        "referral-made_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "referral-received_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "referral-reason": "Побои, статья 6.1.1 КоАП.",
        "referral-is_statutory": "on",
        "referral-order_start_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
        "referral-order_end_on": (TODAY + datetime.timedelta(days=300)).isoformat(),
        "referral-consent_to_share": "on",
        "referral-submission_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_facilitator_opens_a_case_from_a_referral(client_for, org_a):
    client = client_for(org_a.facilitator)
    assert client.get(reverse("participants:intake")).status_code == 200
    response = client.post(reverse("participants:intake"), intake_data(org_a), follow=True)
    participant = Participant.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "participants:detail", args=[participant.public_id]
    )
    assert participant.status == Status.REFERRED
    assert participant.reference == "00001"
    assert participant.organisation == org_a.organisation
    assert participant.created_by == org_a.facilitator
    referral = participant.referrals.get()
    assert referral.is_statutory and referral.created_by == org_a.facilitator
    history = participant.status_changes.get()
    assert (history.from_status, history.to_status) == ("", Status.REFERRED)
    assert "Case 00001 opened" in response.content.decode()


def test_case_references_count_up_per_organisation(client_for, org_a, org_b):
    client_for(org_a.facilitator).post(reverse("participants:intake"), intake_data(org_a))
    client = client_for(org_a.facilitator)
    client.post(
        reverse("participants:intake"),
        intake_data(org_a, **{"person-last_name": "Другой"}),
    )
    client = client_for(org_b.facilitator)
    client.post(reverse("participants:intake"), intake_data(org_b))
    references = sorted(Participant.objects.values_list("organisation__slug", "reference"))
    assert references == [("org-a", "00001"), ("org-a", "00002"), ("org-b", "00001")]


def test_a_double_submitted_intake_opens_one_case(client_for, org_a):
    client = client_for(org_a.facilitator)
    data = intake_data(org_a)
    first = client.post(reverse("participants:intake"), data)
    second = client.post(reverse("participants:intake"), data)
    assert Participant.objects.count() == 1
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_man_referred_again_is_sent_to_his_existing_case(client_for, org_a):
    client = client_for(org_a.facilitator)
    client.post(reverse("participants:intake"), intake_data(org_a))
    response = client.post(
        reverse("participants:intake"),
        intake_data(org_a, **{"person-last_name": "СЕМЕНОВ", "person-first_name": "петр"}),
    )
    assert response.status_code == 200
    assert "already has a case (00001)" in response.content.decode()
    assert Participant.objects.count() == 1


def _refused(client, data, message):
    response = client.post(reverse("participants:intake"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Participant.objects.count() == 0
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"person-date_of_birth": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "The date of birth is in the future.",
        ),
        (
            {"person-date_of_birth": (TODAY - datetime.timedelta(days=365 * 5)).isoformat()},
            "gives an age of 4",
        ),
        ({"person-date_of_birth": "1890-01-01"}, "check it (14 to 100 expected)"),
        ({"person-date_of_birth": "31.02.1980"}, "Enter a valid date."),
        (
            {
                "referral-made_on": TODAY.isoformat(),
                "referral-received_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
            },
            "A referral cannot be received before it was made.",
        ),
        (
            {"referral-received_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
            "This date is in the future.",
        ),
        (
            {"referral-order_end_on": (TODAY - datetime.timedelta(days=60)).isoformat()},
            "The order must end after it starts.",
        ),
        ({"referral-order_end_on": ""}, "A statutory referral needs the date the order ends."),
        ({"referral-source": "999999"}, "Choose one of this organisation&#x27;s referral sources."),
        (
            {"person-reminder_channel": "email", "person-email": ""},
            "Reminders by e-mail need an e-mail address.",
        ),
        ({"person-reminder_channel": "none"}, "Choose how he wants his reminders."),
        ({"person-children_ages": "4, twenty"}, "whole numbers from 0 to 17"),
        ({"person-last_name": ""}, "This field is required."),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client_for, org_a, changes, message):
    _refused(client_for(org_a.facilitator), intake_data(org_a, **changes), message)


def test_a_source_of_another_organisation_is_refused(client_for, org_a, org_b):
    data = intake_data(org_a, **{"referral-source": str(source_of(org_b.organisation).pk)})
    _refused(client_for(org_a.facilitator), data, "referral sources")


def test_a_key_worker_of_another_organisation_is_refused(client_for, org_a, org_b):
    data = intake_data(org_a, **{"person-key_worker": str(org_b.facilitator.pk)})
    _refused(client_for(org_a.facilitator), data, "Select a valid choice")


def test_intake_offers_the_organisations_own_sources_in_its_language(client_for, db):
    russian = OrganisationFactory(slug="ural", country="RU")
    user = UserFactory(organisation=russian)
    response = client_for(user).get(reverse("participants:intake"), HTTP_ACCEPT_LANGUAGE="ru")
    content = response.content.decode()
    assert "Уголовно-исполнительная инспекция ФСИН" in content
    assert "Probation" not in content


def test_intake_page_in_russian(client_for, org_a):
    content = (
        client_for(org_a.facilitator)
        .get(reverse("participants:intake"), HTTP_ACCEPT_LANGUAGE="ru")
        .content.decode()
    )
    assert "Новое направление" in content
    assert "Отчество" in content


def test_a_suspended_sentence_records_its_court_order_and_runs_its_probation(org_a):
    import datetime

    from participants import services
    from participants.models import OffenceCategory
    from tests.factories import ParticipantFactory, source_of

    man = ParticipantFactory(organisation=org_a.organisation)
    assault = OffenceCategory.objects.get(organisation=org_a.organisation, code="assault")
    effective = datetime.date(2026, 3, 2)
    referral = services.referral_add(
        participant=man,
        by=org_a.facilitator,
        data={
            "source": source_of(org_a.organisation, "court"),
            "referrer_organisation": "Leeds Magistrates' Court",
            "made_on": datetime.date(2026, 3, 10),
            "received_on": datetime.date(2026, 3, 12),
            "reason": "Assault",
            "is_statutory": True,
            "court_name": "Leeds Magistrates' Court",
            "court_case_number": "1-234/2026",
            "verdict_effective_on": effective,
            "articles": "s.39",
            "probation_months": 18,
            "court_duties": "Attend the programme.",
            "supervising_inspector": "J. Smith",
            "offences": [assault],
        },
    )
    assert referral.order_start_on == effective
    assert referral.order_end_on == datetime.date(2027, 9, 2)
    assert list(referral.offences.all()) == [assault]


def test_court_details_without_a_court_order_or_on_an_administrative_case_are_refused(org_a):
    import datetime

    import pytest
    from django.core.exceptions import ValidationError

    from participants import services
    from participants.models import Referral
    from tests.factories import OrganisationFactory, ParticipantFactory, source_of

    man = ParticipantFactory(organisation=org_a.organisation)
    base = {
        "referrer_organisation": "Police",
        "made_on": datetime.date(2026, 3, 10),
        "received_on": datetime.date(2026, 3, 12),
        "reason": "Battery",
    }
    with pytest.raises(ValidationError, match="mark the referral as statutory"):
        services.referral_add(
            participant=man,
            by=org_a.facilitator,
            data={**base, "source": source_of(org_a.organisation, "court"), "court_name": "X"},
        )
    ural = OrganisationFactory(slug="ural", country="RU", holiday_region="")
    russian = ParticipantFactory(organisation=ural)
    with pytest.raises(ValidationError, match="administrative case of battery"):
        services.referral_add(
            participant=russian,
            by=org_a.facilitator,
            data={
                **base,
                "source": source_of(ural, "police-administrative"),
                "is_statutory": True,
                "order_end_on": datetime.date(2027, 1, 1),
            },
        )
    assert not Referral.objects.filter(participant__in=[man, russian]).exists()
