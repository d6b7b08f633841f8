"""Every way a man or a partner is written keeps the search column right: the pages (through
save()), an import, the admin site, bulk writes and the large data, retention and erasure, and
the migration that rebuilds the column for rows written before."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participants.erasure import participant_erase
from participants.importing import import_file
from participants.models import Participant, Status
from participants.retention import retention_apply
from partners import services as partner_services
from partners.erasure import partner_erase
from partners.models import Partner
from tests.factories import ParticipantFactory


def found_by_facilitator(client, query: str) -> list[str]:
    page = client.get(reverse("participants:index"), {"q": query}).context["page"]
    return [man.reference for man in page]


def found_by_partner_support(client, query: str) -> list[str]:
    page = client.get(reverse("partners:index"), {"q": query}).context["page"]
    return [her.last_name for her in page]


def _partner(org, man, **names) -> Partner:
    return partner_services.partner_create(
        organisation=org.organisation,
        by=org.partner_support,
        participant=man,
        data={"relationship": "ex_partner", "first_name": "Анна", "last_name": "Орлова", **names},
    )


def test_men_written_in_bulk_are_found_by_name(client_for, org_a):
    men = Participant.objects.bulk_create(
        Participant(
            organisation=org_a.organisation,
            reference=f"0900{number}",
            last_name=last,
            first_name="Пётр",
            patronymic="Ильич",
            date_of_birth=datetime.date(1980, 1, 1),
            status=Status.COMPLETED,
        )
        for number, last in enumerate(["Семёнов", "Baxter"])
    )
    client = client_for(org_a.facilitator)
    assert found_by_facilitator(client, "семенов") == [men[0].reference]
    assert found_by_facilitator(client, "Semenov Petr Ilich") == [men[0].reference]
    assert found_by_facilitator(client, "baxter") == [men[1].reference]
    assert found_by_facilitator(client, "09001") == [men[1].reference]


def test_a_bulk_update_of_names_rebuilds_the_column(client_for, org_a):
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Орлов")
    man.last_name = "Соколов"
    Participant.objects.bulk_update([man], ["last_name"])
    client = client_for(org_a.facilitator)
    assert found_by_facilitator(client, "соколов") == [man.reference]
    assert found_by_facilitator(client, "орлов") == []


def test_a_queryset_update_of_a_name_is_refused_so_the_column_cannot_go_stale(org_a):
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Орлов")
    with pytest.raises(TypeError, match="search_text"):
        Participant.objects.filter(pk=man.pk).update(last_name="Соколов")
    with pytest.raises(TypeError, match="search_text"):
        Partner.objects.filter(participant=man).update(first_name="Вера")
    man.refresh_from_db()
    assert man.last_name == "Орлов"


def test_partners_written_in_bulk_are_found_by_name_and_never_by_the_facilitator(client_for, org_a):
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Баксов")
    Partner.objects.bulk_create(
        [
            Partner(
                organisation=org_a.organisation,
                participant=man,
                last_name="Ёлкина",
                first_name="Вера",
                patronymic="Павловна",
                relationship="partner",
            )
        ]
    )
    assert found_by_partner_support(client_for(org_a.partner_support), "елкина вера") == ["Ёлкина"]
    assert found_by_partner_support(client_for(org_a.partner_support), "Elkina Pavlovna") == [
        "Ёлкина"
    ]
    assert found_by_facilitator(client_for(org_a.facilitator), "елкина") == []


def test_an_imported_man_is_found_by_each_name_in_both_scripts(client_for, org_a):
    text = (
        "last_name,first_name,patronymic,date_of_birth,source,referrer_organisation,made_on,"
        "received_on,reason,statutory,order_start_on,order_end_on\n"
        "Семёнов,Пётр,Ильич,12.03.1979,court,Районный суд,2026-01-10,2026-01-12,Побои,да,"
        "2026-01-01,2027-01-01\n"
    ).encode()
    report = import_file(
        organisation=org_a.organisation,
        by=org_a.manager,
        name="referrals.csv",
        content=io.BytesIO(text),
        size=len(text),
        dry_run=False,
    )
    assert report.imported
    man = Participant.objects.get(organisation=org_a.organisation)
    client = client_for(org_a.facilitator)
    for query in ["семенов", "Пётр", "ильич", "Semenov Petr", man.reference]:
        assert found_by_facilitator(client, query) == [man.reference], query


def test_a_name_changed_in_the_admin_site_is_found_by_the_new_name(client_for, org_a):
    from dvpp.models import User

    man = ParticipantFactory(organisation=org_a.organisation, last_name="Орлов")
    # An installation superuser: administrators may no longer change a man's record (issue 20).
    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-password-1")
    admin = client_for(root)
    url = reverse("admin:participants_participant_change", args=[man.pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: "" if value is None else value
        for name, value in form.initial.items()
        if name in form.fields
    }
    data["date_of_birth"] = man.date_of_birth.isoformat()
    data["last_name"] = "Соколов"
    for prefix in ("referrals", "status_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client = client_for(org_a.facilitator)
    assert found_by_facilitator(client, "соколов") == [man.reference]
    assert found_by_facilitator(client, "орлов") == []


def test_large_data_men_and_partners_all_have_their_search_column(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("LARGE_DATA_PASSWORD", "Quiet-Harbour-Lantern-93")
    from benchmarks.seed_large import Command as SeedLarge

    call_command(SeedLarge(), "--size", "tiny", "--seed", "7")
    men = list(Participant.objects.order_by("pk"))
    partners = list(Partner.objects.order_by("pk"))
    assert men and partners
    assert [man.search_text for man in men] == [man.build_search_text() for man in men]
    assert [her.search_text for her in partners] == [her.build_search_text() for her in partners]
    assert all(man.last_name.casefold() in man.search_text for man in men)


def test_after_retention_neither_his_name_nor_hers_is_found(client_for, org_a):
    man = ParticipantFactory(
        organisation=org_a.organisation,
        last_name="Давыдов",
        previous_surnames="Кузнецов",
        status=Status.COMPLETED,
        status_changed_at=timezone.now() - datetime.timedelta(days=365 * 9),
    )
    _partner(org_a, man)
    assert retention_apply(org_a.organisation, dry_run=False) == [man.reference]
    facilitator, support = client_for(org_a.facilitator), client_for(org_a.partner_support)
    for query in ["давыдов", "davydov", "кузнецов", "—"]:
        assert found_by_facilitator(facilitator, query) == [], query
    assert found_by_facilitator(facilitator, man.reference) == [man.reference]
    support = client_for(org_a.partner_support)
    for query in ["орлова", "orlova", "анна", "—"]:
        assert found_by_partner_support(support, query) == [], query
    assert Partner.objects.get(participant=man).search_text == ""


def test_an_erased_name_is_not_found(client_for, org_a):
    man = ParticipantFactory(
        organisation=org_a.organisation, last_name="Давыдов", status=Status.COMPLETED
    )
    her = _partner(org_a, man, last_name="Ёлкина")
    Partner.objects.filter(pk=her.pk).update(state=Partner.State.CLOSED)
    participant_erase(participant=man, by=org_a.manager)
    partner_erase(partner=her, by=org_a.partner_support)
    facilitator, support = client_for(org_a.facilitator), client_for(org_a.partner_support)
    assert found_by_facilitator(facilitator, "давыдов") == []
    assert found_by_facilitator(facilitator, man.reference) == [man.reference]
    assert found_by_partner_support(support, "елкина") == []
    her.refresh_from_db()
    assert her.search_text == ""


def test_the_migration_rebuilds_every_row_as_the_models_build_it(org_a):
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Семёнов")
    gone = ParticipantFactory(organisation=org_a.organisation, last_name="Давыдов")
    her = _partner(org_a, man, last_name="Ёлкина")
    erased = _partner(org_a, man, last_name="Ушла")
    Participant.objects.filter(pk=gone.pk).update(
        erased_at=timezone.now(), last_name="—", search_text="stale"
    )
    Participant.objects.filter(pk=man.pk).update(search_text="")
    Partner.objects.filter(pk=her.pk).update(search_text="")
    Partner.objects.filter(pk=erased.pk).update(erased_at=timezone.now(), search_text="ушла")
    for module in (
        "participants.migrations.0013_rebuild_search_text",
        "partners.migrations.0010_rebuild_search_text",
    ):
        importlib.import_module(module).rebuild_search_text(apps, None)
    men = list(Participant.objects.order_by("pk"))
    partners = list(Partner.objects.order_by("pk"))
    assert [m.search_text for m in men] == [m.build_search_text() for m in men]
    assert [p.search_text for p in partners] == [p.build_search_text() for p in partners]
    assert {"семенов", "semenov"} <= set(Participant.objects.get(pk=man.pk).search_text.split())
    assert Participant.objects.get(pk=gone.pk).search_text == gone.reference
    assert Partner.objects.get(pk=erased.pk).search_text == ""
