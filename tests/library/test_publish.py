"""A manager publishes a programme to a coalition as a versioned, case-free package; publishing
is refused while any text that would travel still holds something about a case."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalition.models import Coalition, Membership
from dvpp.models import AuditEvent
from library import manifest as manifests
from library.models import Package
from partners import services as partner_services
from tests.factories import ParticipantFactory, ReferralFactory

from .conftest import add_handout, instrument, publish


def test_a_published_package_holds_the_programme_both_languages_and_no_ids(
    org_a, coalition, workshops
):
    survey = instrument(org_a, "men-self-report")
    package = publish(org_a, workshops, coalition, instruments=[survey], note_ru="Первая версия")
    assert (package.version, package.schema, package.coalition) == (1, 1, coalition)
    manifest = package.manifest
    assert manifest["programme"]["name_ru"] == "Уважительные отношения: два занятия"
    assert manifest["programme"]["complete_within_days"] == 84
    assert manifest["programme"]["missed_session_restarts"] is True
    first = manifest["themes"][0]
    assert first["number"] == 1 and first["plan_ru"].startswith("Приветствие")
    assert first["handouts"][0]["title_ru"] == "Рабочий лист 1"
    assert first["handouts"][0]["sha256"] == manifests.sha256(package.files.first().content)
    assert [i["code"] for i in manifest["instruments"]] == ["men-self-report"]
    assert manifest["instruments"][0]["questions"][0]["text_ru"]
    assert manifest["change_note"] == {"en": "First version", "ru": "Первая версия"}
    assert package.checksum == manifests.checksum(manifest)
    # Nothing that points back into the publisher's rows: no ids, no organisation, no people.
    text = manifests.canonical(manifest).decode()
    for absent in ('"id"', '"pk"', "organisation", org_a.manager.username, "org-a"):
        assert absent not in text


def test_publishing_again_makes_the_next_version_of_the_same_key(org_a, coalition, workshops):
    first = publish(org_a, workshops, coalition)
    theme = workshops.themes.get(number=2)
    theme.title_en = "Workshop 2: choosing respect"
    theme.save()
    second = publish(org_a, workshops, coalition, note="Workshop 2 renamed")
    assert second.key == first.key
    assert (first.version, second.version) == (1, 2)
    assert second.manifest["themes"][1]["title_en"] == "Workshop 2: choosing respect"
    # The first version is a snapshot: later edits never reach it.
    first.refresh_from_db()
    assert first.manifest["themes"][1]["title_en"] == "Workshop 2: choosing not to be abusive"


def test_another_programme_gets_its_own_key(org_a, coalition, workshops):
    from sessions.curriculum import programme_install_standard

    one = publish(org_a, workshops, coalition)
    other = publish(org_a, programme_install_standard(org_a.organisation), coalition)
    assert one.key != other.key and other.version == 1


def test_a_handout_changed_after_publishing_leaves_the_package_as_it_was(
    org_a, coalition, workshops
):
    package = publish(org_a, workshops, coalition)
    handout = workshops.themes.get(number=1).handouts.get()
    handout.file.delete(save=False)
    stored = package.files.get(path=package.manifest["themes"][0]["handouts"][0]["path"])
    assert bytes(stored.content).startswith(b"%PDF")


def test_an_organisation_that_is_not_a_current_member_cannot_publish(org_a, workshops):
    elsewhere = Coalition.objects.create(name="Elsewhere", slug="elsewhere")
    with pytest.raises(ValidationError, match="not a current member"):
        publish(org_a, workshops, elsewhere)
    mine = Membership.objects.get(organisation=org_a.organisation)
    mine.left_on = mine.joined_on
    mine.save()
    with pytest.raises(ValidationError, match="not a current member"):
        publish(org_a, workshops, mine.coalition)
    assert not Package.objects.exists()


def test_a_programme_missing_a_week_is_not_published(org_a, coalition, workshops):
    workshops.themes.get(number=2).delete()
    with pytest.raises(ValidationError, match="1 weeks for 2 sessions"):
        publish(org_a, workshops, coalition)


# --- case-specific text ------------------------------------------------------------------


def _set_plan(programme, number: int, **fields):
    theme = programme.themes.get(number=number)
    for name, value in fields.items():
        setattr(theme, name, value)
    theme.save()


def _refusal(org, programme, coalition) -> str:
    with pytest.raises(ValidationError) as caught:
        publish(org, programme, coalition)
    assert not Package.objects.exists()
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Call Dave back on dave.case@example.org after group.", "an e-mail address"),
        ("If upset, ring +44 7700 900 123.", "a phone number"),
        ("Позвонить по телефону 8 (912) 345-67-89.", "a phone number"),
        ("Местный номер 345-67-89.", "a phone number"),
    ],
)
def test_contact_details_in_a_plan_are_refused(org_a, coalition, workshops, text, kind):
    _set_plan(workshops, 2, plan_ru=text)
    message = _refusal(org_a, workshops, coalition)
    assert f"week 2, session plan (Russian) holds {kind}" in message
    assert text not in message


def test_a_case_reference_of_the_organisation_is_refused_but_another_number_is_not(
    org_a, coalition, workshops
):
    man = ParticipantFactory(organisation=org_a.organisation, reference="00042")
    ReferralFactory(participant=man)
    _set_plan(workshops, 1, description_en="Role-play from 12345 steps.")
    assert publish(org_a, workshops, coalition).version == 1
    _set_plan(workshops, 1, description_en="As discussed with 00042 last week.")
    with pytest.raises(ValidationError) as caught:
        publish(org_a, workshops, coalition)
    assert "week 1, description (English) holds a case reference of your organisation" in str(
        caught.value.messages
    )


def test_a_mans_surname_is_refused_in_either_alphabet(org_a, coalition, workshops):
    ParticipantFactory(organisation=org_a.organisation, last_name="Кузнецов")
    _set_plan(workshops, 2, plan_en="Ask Kuznetsov to lead the exercise.")
    message = _refusal(org_a, workshops, coalition)
    assert "week 2, session plan (English) holds the surname of a man" in message
    assert "Kuznetsov" not in message


def test_a_partners_surname_is_refused_and_never_shown(org_a, coalition, workshops):
    man = ParticipantFactory(organisation=org_a.organisation)
    partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={"last_name": "Ёлкина", "first_name": "Марина", "relationship": "ex_partner"},
    )
    handout = workshops.themes.get(number=1).handouts.get()
    handout.title_ru = "Письмо для Елкиной"  # «е» for «ё», and not the word as written there
    handout.title_en = "A letter"
    handout.save()
    message = _refusal(org_a, workshops, coalition)
    assert (
        "week 1, handout 1, title (Russian) holds the surname of a partner or ex-partner" in message
    )
    for secret in ("Ёлкина", "Елкина", "Марина", "Елкиной", "Письмо"):
        assert secret not in message


def test_a_text_handout_is_read_too(org_a, coalition, workshops):
    theme = workshops.themes.get(number=2)
    add_handout(theme, "Notes", "Заметки", b"Contact: key.worker@example.org\n", name="notes.txt")
    message = _refusal(org_a, workshops, coalition)
    assert "week 2, handout 2, its text holds an e-mail address" in message


def test_ordinary_curriculum_text_is_published(org_a, coalition):
    from sessions.curriculum import programme_install_standard

    ParticipantFactory.create_batch(5, organisation=org_a.organisation)
    assert publish(org_a, programme_install_standard(org_a.organisation), coalition).version == 1


# --- the page ----------------------------------------------------------------------------


def test_the_manager_publishes_on_the_page_and_it_is_audited(
    client_for, org_a, coalition, workshops
):
    client = client_for(org_a.manager)
    page = client.get(reverse("library:publish")).content.decode()
    assert "Respectful relationships: two workshops" in page
    response = client.post(
        reverse("library:publish"),
        {
            "coalition": coalition.pk,
            "programme": workshops.pk,
            "instruments": [instrument(org_a, "partner-safety").pk],
            "change_note_en": "For police cautions",
            "change_note_ru": "Для полицейских предупреждений",
        },
    )
    package = Package.objects.get()
    assert response["Location"] == reverse("library:package", args=[package.key, 1])
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert (event.object_type, event.object_id) == ("library.package", str(package.pk))
    assert event.what == "published v1"


def test_a_refusal_is_shown_on_the_form(client_for, org_a, coalition, workshops):
    _set_plan(workshops, 1, plan_en="Text 07700 900123 if late.")
    response = client_for(org_a.manager).post(
        reverse("library:publish"), {"coalition": coalition.pk, "programme": workshops.pk}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not published: week 1, session plan (English) holds a phone number" in content
    assert "07700 900123" not in content
    assert not Package.objects.exists()


def test_another_organisations_programme_cannot_be_chosen(client_for, org_a, org_b, shared):
    from sessions.curriculum import programme_install_standard

    theirs = programme_install_standard(org_b.organisation)
    response = client_for(org_a.manager).post(
        reverse("library:publish"), {"coalition": shared.pk, "programme": theirs.pk}
    )
    assert response.status_code == 200
    assert not Package.objects.exists()
