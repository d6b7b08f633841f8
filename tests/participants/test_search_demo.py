"""Search finds everyone in the demo: every man by the facilitator, every partner by partner
support, by each part of the name and the reference, in the script it is written in and in
Latin letters, «ё» typed as «е»; and the facilitator's search never reaches a partner."""

import pytest
from django.urls import reverse

from dvpp.demo import DEMO_ORGANISATIONS
from dvpp.models import Role
from dvpp.names import transliterate
from participants.models import Participant
from partners.models import Partner
from tests.demo_data import demo_user, seeded_demo  # noqa: F401 - the module's fixture

pytestmark = pytest.mark.usefixtures("seeded_demo")


def _queries(parts: list[str]) -> list[str]:
    """The surname alone; every part together (the search wants each word somewhere in the
    record, so finding him by all of them proves each one finds him); the same in Latin
    letters, and with «ё» typed as «е»."""
    parts = [part for part in parts if part]
    whole = " ".join(parts)
    queries = [parts[0], whole, transliterate(whole), whole.replace("ё", "е").replace("Ё", "Е")]
    return list(dict.fromkeys(queries))


def _missed(client, url: str, records) -> list[str]:
    """The searches that did not find their record: "<query> (<record>)"."""
    missed = []
    for record, parts in records:
        for query in _queries(parts):
            page = client.get(url, {"q": query}).context["page"]
            if not page.paginator.object_list.filter(pk=record.pk).exists():
                missed.append(f"{query!r} ({record.pk})")
    return missed


def test_the_facilitator_finds_every_demo_man_by_each_name_and_reference(db, client_for):
    for spec in DEMO_ORGANISATIONS:
        client = client_for(demo_user(spec, Role.FACILITATOR))
        men = Participant.objects.filter(organisation__slug=spec.slug).order_by("reference")
        assert men.count() > 80
        records = [
            (man, [man.last_name, man.first_name, man.patronymic, man.reference]) for man in men
        ]
        assert _missed(client, reverse("participants:index"), records) == []


def test_partner_support_finds_every_demo_partner_by_each_name(db, client_for):
    for spec in DEMO_ORGANISATIONS:
        client = client_for(demo_user(spec, Role.PARTNER_SUPPORT))
        partners = Partner.objects.filter(organisation__slug=spec.slug).order_by("pk")
        assert partners.count() > 20
        records = [(her, [her.last_name, her.first_name, her.patronymic]) for her in partners]
        assert _missed(client, reverse("partners:index"), records) == []


def test_the_russian_demo_names_are_found_in_both_scripts_and_with_e_for_yo(db):
    men = Participant.objects.filter(organisation__slug="demo-ru")
    assert all(man.patronymic for man in men)
    assert any("ё" in man.full_name for man in men)  # the «ё» case is really tried


def test_the_facilitator_finds_no_partner_by_her_name(db, client_for):
    for spec in DEMO_ORGANISATIONS:
        client = client_for(demo_user(spec, Role.FACILITATOR))
        assert client.get(reverse("partners:index")).status_code == 403
        her = Partner.objects.filter(organisation__slug=spec.slug).order_by("pk").first()
        men = client.get(reverse("participants:index"), {"q": her.full_name})
        # Her name is in the search box the facilitator typed it in, and nowhere else.
        content = men.content.decode().replace(f'value="{her.full_name}"', "")
        assert her.full_name not in content
        assert list(men.context["page"]) == []
