"""The large synthetic data for benchmarks (benchmarks.seed_large), at its tiny size: the counts
the size promises, the same data for the same seed, every row in its own organisation, encryption at
rest, and no second run."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from benchmarks.largedata import SIZES
from benchmarks.seed_large import Command as SeedLarge
from dvpp.models import AuditEvent, Organisation, User
from outcomes.models import Answer, Response
from participants.models import Participant, Referral, StatusChange
from partners.models import CheckIn, ContactAttempt, Partner
from sessions.models import Attendance, Enrolment, Group, Session

TINY = SIZES["tiny"]


@pytest.fixture
def tiny(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("LARGE_DATA_PASSWORD", "Quiet-Harbour-Lantern-93")
    call_command(SeedLarge(), "--size", "tiny", "--seed", "7")


def _sample() -> list:
    men = Participant.objects.order_by("organisation__slug", "reference")
    partners = Partner.objects.order_by("organisation__slug", "participant__reference")
    return [
        list(men.values_list("organisation__slug", "reference", "last_name", "first_name")[:40]),
        list(partners.values_list("last_name", "first_name", "participant__reference")[:40]),
        list(
            Attendance.objects.order_by("session__date", "participant__reference").values_list(
                "outcome", flat=True
            )[:100]
        ),
    ]


def test_tiny_builds_the_promised_counts(tiny):
    assert Organisation.objects.filter(slug__startswith="large-").count() == 2
    assert Organisation.objects.filter(country="RU").count() == 1  # half of them Russian
    assert Participant.objects.count() == TINY.men == 200
    assert Referral.objects.count() == TINY.men
    assert Group.objects.count() == TINY.groups == 6
    assert Session.objects.count() == TINY.sessions == 180
    assert Attendance.objects.count() == TINY.marks == 4_000
    assert Partner.objects.count() == TINY.partners == 150
    assert CheckIn.objects.count() == TINY.checkins == 1_500
    # Each partner was reached before her first check-in, so a worker can record the next one.
    first_calls = ContactAttempt.objects.filter(outcome="reached")
    assert first_calls.count() == TINY.partners
    reached_on = {a.partner_id: timezone.localtime(a.at).date() for a in first_calls}
    assert all(c.on >= reached_on[c.partner_id] for c in CheckIn.objects.only("on", "partner"))
    assert Response.objects.count() == TINY.responses == 400
    assert Answer.objects.count() > TINY.responses * 5
    # One CREATE per case, partner, check-in and response; one VIEW per ten marks.
    assert AuditEvent.objects.filter(action="create").count() == 200 + 150 + 1_500 + 400
    assert AuditEvent.objects.filter(action="view").count() == 400
    # Every case has its history, starting at the referral; the counter matches the references.
    assert StatusChange.objects.filter(from_status="").count() == TINY.men
    for organisation in Organisation.objects.all():
        assert (
            organisation.case_counter
            == Participant.objects.filter(organisation=organisation).count()
        )
    assert User.objects.filter(username="large-02-facilitator-1").exists()


def test_names_are_english_and_russian(tiny):
    russian = Participant.objects.filter(organisation__country="RU").first()
    english = Participant.objects.filter(organisation__country="GB").first()
    assert any("\u0400" <= ch <= "\u04ff" for ch in russian.last_name)
    assert russian.patronymic
    assert english.last_name.isascii()
    # Found by name, as pages search: search_text is filled as save() would fill it.
    assert russian.last_name.casefold() in russian.search_text


def test_the_same_seed_builds_the_same_data(db, settings):
    settings.DEBUG = True

    class Undo(Exception):
        pass

    samples = []
    for _ in range(2):
        with pytest.raises(Undo), transaction.atomic():
            call_command(SeedLarge(), "--size", "tiny", "--seed", "7")
            samples.append(_sample())
            raise Undo
    assert samples[0] == samples[1]
    assert samples[0][0]  # not two empty lists


def test_every_row_belongs_to_one_organisation(tiny):
    assert not Partner.objects.exclude(participant__organisation=F("organisation")).exists()
    assert not Attendance.objects.exclude(session__group__organisation=F("organisation")).exists()
    assert not Attendance.objects.exclude(participant__organisation=F("organisation")).exists()
    assert not Attendance.objects.exclude(enrolment__participant=F("participant")).exists()
    assert not Enrolment.objects.exclude(group__organisation=F("organisation")).exists()
    assert not Enrolment.objects.exclude(first_session__group=F("group")).exists()
    assert not Group.objects.exclude(programme__organisation=F("organisation")).exists()
    assert not Group.objects.exclude(facilitator__organisation=F("organisation")).exists()
    assert not Session.objects.exclude(theme__programme=F("group__programme")).exists()
    assert not Referral.objects.exclude(source__organisation=F("organisation")).exists()
    assert not Referral.objects.exclude(participant__organisation=F("organisation")).exists()
    assert not Response.objects.exclude(participant__organisation=F("organisation")).exists()
    assert not Response.objects.exclude(instrument__organisation=F("organisation")).exists()
    assert not CheckIn.objects.exclude(by__organisation=F("partner__organisation")).exists()
    assert not Participant.objects.exclude(key_worker__organisation=F("organisation")).exists()
    # A partner survey's key is hers, a man's his own: what Response.save() would have set.
    for response in Response.objects.select_related("instrument")[:50]:
        assert response.instrument_code == response.instrument.code
        expected = (
            f"p{response.partner_id}" if response.partner_id else f"m{response.participant_id}"
        )
        assert response.person_key == expected
    # An attendance mark is for a past session of the man's own group.
    assert not Attendance.objects.exclude(session__group=F("enrolment__group")).exists()


def test_encrypted_fields_are_encrypted_at_rest(tiny):
    partner = Partner.objects.order_by("pk").first()
    checkin = CheckIn.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, email, address, safe_contact_notes FROM partners_partner WHERE id = %s",
            [partner.pk],
        )
        raw = cursor.fetchone()
        cursor.execute("SELECT actions FROM partners_checkin WHERE id = %s", [checkin.pk])
        raw_actions = cursor.fetchone()[0]
    clear = (partner.phone, partner.email, partner.address, partner.safe_contact_notes)
    for stored, value in zip(raw, clear, strict=True):
        assert value and stored.startswith("gAAAA") and value not in stored
    assert checkin.actions and raw_actions.startswith("gAAAA")
    assert checkin.actions not in raw_actions


def test_users_sign_in_with_the_one_password(tiny, client):
    user = User.objects.get(username="large-01-manager-1")
    assert user.check_password("Quiet-Harbour-Lantern-93")


def test_a_second_run_is_refused(tiny):
    with pytest.raises(CommandError, match="fresh database"):
        call_command(SeedLarge(), "--size", "tiny")
    assert Participant.objects.count() == TINY.men


def test_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses"):
        call_command(SeedLarge(), "--size", "tiny")
    assert not Organisation.objects.exists()
