"""Managers keep the organisation's lists, in both languages; an entry in use is archived."""

from django.urls import reverse

from dvpp.models import AuditEvent
from participants.models import ExitReason, OffenceCategory, ReferralSource
from tests.factories import OrganisationFactory, ReferralFactory


def test_a_russian_organisation_starts_with_the_russian_routes(db):
    organisation = OrganisationFactory(slug="ural", country="RU", holiday_region="")
    codes = set(
        ReferralSource.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    assert {"penitentiary-inspectorate", "police-administrative", "minors-commission",
            "guardianship", "victim", "self"} <= codes  # fmt: skip
    battery = OffenceCategory.objects.get(organisation=organisation, code="battery-admin")
    assert battery.label_ru == "Побои (ст. 6.1.1 КоАП РФ)"


def test_a_manager_adds_an_entry_in_both_languages(client_for, org_a):
    client = client_for(org_a.manager)
    url = reverse("lookup_list", args=["exit-reasons"])
    response = client.post(
        url, {"label_en": "Deported", "label_ru": "Депортирован", "position": 9}, follow=True
    )
    assert "Added to the list." in response.content.decode()
    entry = ExitReason.objects.get(organisation=org_a.organisation, code="deported")
    assert (entry.label_en, entry.label_ru) == ("Deported", "Депортирован")
    assert AuditEvent.objects.filter(action="create", object_id=str(entry.pk)).exists()


def test_bad_entries_are_refused_clearly(client_for, org_a):
    client = client_for(org_a.manager)
    url = reverse("lookup_list", args=["exit-reasons"])
    before = ExitReason.objects.count()
    mixed = client.post(url, {"label_en": "Moved", "label_ru": "Переeзд", "position": 0})
    assert "Latin and Cyrillic letters are mixed" in mixed.content.decode()
    taken = client.post(
        url, {"label_en": "Again", "label_ru": "Снова", "code": "moved", "position": 0}
    )
    assert "already has an entry with this code" in taken.content.decode()
    assert ExitReason.objects.count() == before


def test_relabelling_an_entry_relabels_the_records_that_use_it(client_for, org_a):
    referral = ReferralFactory(participant__organisation=org_a.organisation)
    source = referral.source
    client = client_for(org_a.manager)
    url = reverse("lookup_entry", args=["referral-sources", source.pk])
    client.post(url, {"label_en": "Court (criminal)", "label_ru": "Суд", "position": 1})
    referral.refresh_from_db()
    assert referral.source.label_en == "Court (criminal)"


def test_an_entry_in_use_is_archived_not_deleted(client_for, org_a):
    referral = ReferralFactory(participant__organisation=org_a.organisation)
    client = client_for(org_a.manager)
    url = reverse("lookup_delete", args=["referral-sources", referral.source.pk])
    response = client.post(url, follow=True)
    assert "cannot be deleted: archive it instead" in response.content.decode()
    assert ReferralSource.objects.filter(pk=referral.source.pk).exists()


def test_an_unknown_list_or_another_organisations_entry_is_not_found(client_for, org_a, org_b):
    client = client_for(org_a.manager)
    assert client.get(reverse("lookup_list", args=["nonsense"])).status_code == 404
    theirs = ExitReason.objects.get(organisation=org_b.organisation, code="moved")
    url = reverse("lookup_entry", args=["exit-reasons", theirs.pk])
    assert client.get(url).status_code == 404
    assert client_for(org_a.facilitator).get(reverse("lookups")).status_code == 403
