"""Case records in the admin site, the case detail forms, and the demo cases."""

import datetime
import uuid

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participants.models import CaseNote, Participant, Referral, Status
from tests.factories import ParticipantFactory, ReferralFactory, source_of


def test_administrator_finds_own_cases_in_the_admin_in_either_script(client_for, org_a, org_b):
    ParticipantFactory(organisation=org_a.organisation, last_name="Семёнов")
    ParticipantFactory(organisation=org_b.organisation, last_name="Семенова")
    client = client_for(org_a.administrator)
    content = client.get(
        reverse("admin:participants_participant_changelist"), {"q": "СЕМЕНОВ"}
    ).content.decode()
    assert "Семёнов" in content
    assert "Семенова" not in content


def test_administrator_cannot_open_another_organisations_case_in_the_admin(
    client_for, org_a, org_b
):
    other = ParticipantFactory(organisation=org_b.organisation)
    response = client_for(org_a.administrator).get(
        reverse("admin:participants_participant_change", args=[other.pk])
    )
    assert response.status_code == 302  # "does not exist", back to the admin index


def test_case_notes_cannot_be_changed_in_the_admin(client_for, org_a):
    response = client_for(org_a.administrator).get(
        reverse("admin:participants_casenote_changelist")
    )
    # Issue 20: administrators do not even read case notes in the admin site (this asserted
    # 200 while they could).
    assert response.status_code == 403
    assert not org_a.administrator.has_perm("participants.change_casenote")


def test_administrator_can_neither_change_a_case_nor_read_case_notes_in_the_admin(
    client_for, org_a
):
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Орлов")
    client = client_for(org_a.administrator)
    url = reverse("admin:participants_participant_change", args=[man.pk])
    assert client.get(url).status_code == 200  # found, to be read only
    assert client.post(url, {"last_name": "Соколов"}).status_code == 403
    man.refresh_from_db()
    assert man.last_name == "Орлов"
    assert client.get(reverse("admin:participants_casenote_changelist")).status_code == 403
    referral = ReferralFactory(participant=man, reason="Безопасность: подробности дела")
    for name in ("referral", "assessment"):
        assert client.get(reverse(f"admin:participants_{name}_changelist")).status_code == 403
    case_page = client.get(url).content.decode()
    assert referral.reason not in case_page
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:participants_participant_changelist") in index
    assert reverse("admin:participants_casenote_changelist") not in index
    assert not org_a.administrator.has_perm("participants.change_participant")
    assert not org_a.administrator.has_perm("participants.view_casenote")
    assert reverse("admin:participants_referral_changelist") not in index


def test_facilitator_has_no_way_into_the_case_admin(client_for, org_a):
    response = client_for(org_a.facilitator).get(
        reverse("admin:participants_participant_changelist")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_editing_details_with_bad_input_saves_nothing(client_for, org_a, org_b):
    participant = ParticipantFactory(organisation=org_a.organisation, last_name="Орлов")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for(org_a.facilitator).post(
        reverse("participants:edit", args=[participant.public_id]),
        {
            "last_name": "Другой",
            "first_name": participant.first_name,
            "date_of_birth": future,
            "preferred_language": "ru",
            "reminder_channel": "none",
            "key_worker": org_b.facilitator.pk,
        },
    )
    content = response.content.decode()
    assert "The date of birth is in the future." in content
    assert "Select a valid choice" in content
    participant.refresh_from_db()
    assert participant.last_name == "Орлов"


def test_editing_details_updates_the_search(client_for, org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, last_name="Орлов")
    client_for(org_a.facilitator).post(
        reverse("participants:edit", args=[participant.public_id]),
        {
            "last_name": "Соколов",
            "first_name": "Алексей",
            "previous_surnames": "Орлов",
            "date_of_birth": "1980-01-01",
            "preferred_language": "ru",
            "reminder_channel": "none",
        },
    )
    participant.refresh_from_db()
    assert participant.last_name == "Соколов"
    assert "орлов" in participant.search_text and "соколов" in participant.search_text


def test_a_second_referral_is_added_to_the_case(client_for, org_a, case_a):
    today = timezone.localdate().isoformat()
    data = {
        "source": source_of(org_a.organisation, "police").pk,
        "referrer_organisation": "Police",
        "made_on": today,
        "received_on": today,
        "reason": "New incident.",
        "submission_key": str(uuid.uuid4()),
    }
    client = client_for(org_a.facilitator)
    client.post(reverse("participants:add_referral", args=[case_a.public_id]), data)
    client.post(reverse("participants:add_referral", args=[case_a.public_id]), data)
    assert case_a.referrals.count() == 2  # the fixture's and one new, not two


def test_a_bad_second_referral_saves_nothing(client_for, org_a, case_a):
    response = client_for(org_a.facilitator).post(
        reverse("participants:add_referral", args=[case_a.public_id]),
        {
            "source": source_of(org_a.organisation).pk,
            "referrer_organisation": "Court",
            "made_on": "2026-03-10",
            "received_on": "2026-03-01",
            "reason": "x",
        },
    )
    assert "A referral cannot be received before it was made." in response.content.decode()
    assert case_a.referrals.count() == 1


def test_demo_has_cases_in_every_status_in_both_organisations(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for slug in ("demo", "demo-ru"):
        statuses = set(
            Participant.objects.filter(organisation__slug=slug).values_list("status", flat=True)
        )
        assert statuses == set(Status.values)
    counts = (Participant.objects.count(), Referral.objects.count(), CaseNote.objects.count())
    call_command("seed_demo")
    assert (Participant.objects.count(), Referral.objects.count(), CaseNote.objects.count()) == (
        counts
    )
