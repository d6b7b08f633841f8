"""Finding a man: by any part of his name in either script, by reference, by date of birth."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, ReferralFactory, UserFactory, source_of


@pytest.fixture
def men(org_a, org_b):
    semenov = ParticipantFactory(
        organisation=org_a.organisation,
        last_name="Семёнов",
        first_name="Пётр",
        patronymic="Ильич",
        date_of_birth=datetime.date(1980, 12, 31),
        reference="00007",
        previous_surnames="Кузнецов",
    )
    smith = ParticipantFactory(
        organisation=org_a.organisation,
        last_name="Smith",
        first_name="John",
        patronymic="",
        date_of_birth=datetime.date(1975, 5, 5),
        status="waiting_list",
        risk_level="high",
    )
    other_org = ParticipantFactory(
        organisation=org_b.organisation, last_name="Семенов", first_name="Пётр"
    )
    return semenov, smith, other_org


def names(client, **params):
    content = client.get(reverse("participants:index"), params).content.decode()
    table = content.split('data-testid="case-table"')[1]
    return {word for word in ("Семёнов", "Smith", "Семенов") if word in table}


@pytest.mark.parametrize(
    "query",
    [
        "семёнов",
        "СЕМЕНОВ",
        "семен",
        "пётр ильич",
        "петр",
        "кузнецов",
        "00007",
        "31.12.1980",
        "1980-12-31",
        "Семёнов 31.12.1980",
    ],
)
def test_search_finds_him_in_any_form(client_for, org_a, men, query):
    assert names(client_for(org_a.facilitator), q=query) == {"Семёнов"}


@pytest.mark.parametrize("query", ["smith", "SMI", "john smith"])
def test_search_finds_latin_names(client_for, org_a, men, query):
    assert names(client_for(org_a.facilitator), q=query) == {"Smith"}


def test_search_never_reaches_another_organisation(client_for, org_a, org_b, men):
    assert names(client_for(org_b.facilitator), q="семенов") == {"Семенов"}


def test_filters_by_status_risk_source_and_key_worker(client_for, org_a, men):
    semenov, smith, _ = men
    client = client_for(org_a.manager)
    assert names(client, status="waiting_list") == {"Smith"}
    assert names(client, risk="high") == {"Smith"}
    ReferralFactory(participant=semenov, source=source_of(org_a.organisation, "police"))
    assert names(client, source=source_of(org_a.organisation, "police").pk) == {"Семёнов"}
    worker = UserFactory(organisation=org_a.organisation)
    smith.key_worker = worker
    smith.save()
    assert names(client, key_worker=worker.pk) == {"Smith"}


def test_a_search_with_no_match_says_so(client_for, org_a, men):
    content = (
        client_for(org_a.manager)
        .get(reverse("participants:index"), {"q": "nobody"})
        .content.decode()
    )
    assert "No cases match." in content


def test_a_russian_name_is_found_by_its_latin_spelling(client_for, org_a):
    from tests.factories import ParticipantFactory

    man = ParticipantFactory(
        organisation=org_a.organisation, last_name="Кузнецов", first_name="Алексей"
    )
    page = client_for(org_a.facilitator).get("/cases/", {"q": "Kuznetsov"}).content.decode()
    assert str(man.public_id) in page


def test_a_name_mixing_latin_and_cyrillic_letters_is_refused(org_a):
    import pytest
    from django.core.exceptions import ValidationError

    from tests.factories import ParticipantFactory

    man = ParticipantFactory.build(
        organisation=org_a.organisation,
        last_name="Иванов",
        first_name="Иван",
        patronymic="Пeтрович",
    )
    with pytest.raises(ValidationError, match="mixes Latin and Cyrillic letters"):
        man.full_clean(exclude=["reference", "search_text"])


def test_postgresql_searches_names_through_a_trigram_index(db):
    from django.db import connection

    from tests.conftest import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname IN "
            "('participant_search_trgm', 'partner_search_trgm')"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert len(definitions) == 2 and all("gin_trgm_ops" in d for d in definitions)
