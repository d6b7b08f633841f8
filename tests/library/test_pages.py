"""The library's pages, and handouts: who reads what, in how many queries."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.models import Membership
from library import services
from sessions.curriculum import programme_install_cautioning
from sessions.models import Handout

from .conftest import PDF, instrument, publish


def test_the_library_lists_the_coalitions_packages_with_their_publisher(
    client_for, org_a, org_b, org_c, shared, workshops
):
    publish(org_a, workshops, shared)
    theirs = programme_install_cautioning(org_c.organisation)
    publish(org_c, theirs, Membership.objects.get(organisation=org_c.organisation).coalition)
    page = client_for(org_b.manager).get(reverse("library:index")).content.decode()
    table = page.split('data-testid="package-table"')[1]
    assert table.count('data-testid="package-row"') == 1
    # A agreed to be named in the coalition.
    assert "Respectful relationships: two workshops" in table and "<td>Organisation A</td>" in table
    assert "Organisation C" not in page


def test_a_publisher_that_did_not_agree_is_a_member_organisation(
    client_for, org_a, org_b, shared, workshops
):
    Membership.objects.filter(organisation=org_a.organisation).update(shown_by_name=False)
    publish(org_a, workshops, shared)
    table = client_for(org_b.manager).get(reverse("library:index")).content.decode()
    table = table.split('data-testid="package-table"')[1]
    assert "<td>a member organisation</td>" in table and "<td>Organisation A</td>" not in table


def test_the_package_page_shows_weeks_handouts_surveys_rules_and_versions(
    client_for, org_a, org_b, shared, workshops
):
    publish(org_a, workshops, shared, instruments=[instrument(org_a, "partner-safety")])
    theme = workshops.themes.get(number=1)
    theme.title_en = "Workshop 1: what happened"
    theme.save()
    package = publish(org_a, workshops, shared, note="Shorter title for week 1")
    client = client_for(org_b.manager)
    content = client.get(reverse("library:package", args=[package.key, 2])).content.decode()
    assert "Version 2 · Organisation A coalition" in content
    assert "Shorter title for week 1" in content
    assert "Workshop 1: what happened" in content and "Worksheet 2" in content
    assert "Days to complete it in" in content and "84" in content
    assert "No survey is included." in content
    versions = content.split('data-testid="package-versions"')[1]
    assert "Version 1" in versions and "Version 2" in versions
    assert "What changed from version 1" in content
    assert "Partner safety" in content  # removed since version 1
    assert "Import into my organisation" in content
    client.cookies.load({"django_language": "ru"})
    russian = client.get(reverse("library:package", args=[package.key, 2])).content.decode()
    assert "Занятие 2: выбор без насилия" in russian and "Рабочий лист 1" in russian


def test_the_library_page_query_count_does_not_grow_with_packages(
    client_for, org_a, org_b, shared, workshops, django_assert_max_num_queries
):
    def fill(count):
        for number in range(count):
            programme = programme_install_cautioning(org_a.organisation)
            programme.name_en = f"Programme {number}"
            programme.save()
            package = publish(org_a, programme, shared)
            publish(org_a, programme, shared, note="again")
            services.package_import(
                organisation=org_b.organisation, by=org_b.manager, package=package
            )

    client = client_for(org_b.manager)
    fill(2)
    client.get(reverse("library:index"))
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("library:index")).content.decode()
    assert page.count('data-testid="newer-version"') == 2
    fill(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("library:index")).content.decode()
    assert page.count('data-testid="package-row"') == 6
    assert page.count('data-testid="newer-version"') == 6


def test_the_package_page_query_count_is_small(
    client_for, org_a, org_b, shared, workshops, django_assert_max_num_queries
):
    for _ in range(3):
        package = publish(org_a, workshops, shared)
    client = client_for(org_b.manager)
    with django_assert_max_num_queries(12):
        client.get(reverse("library:package", args=[package.key, package.version]))


def test_the_manager_home_and_navigation_lead_to_the_library(client_for, org_a):
    page = client_for(org_a.manager).get(reverse("home")).content.decode()
    assert 'data-nav="library"' in page and reverse("library:index") in page
    assert 'data-nav="library"' not in (
        client_for(org_a.facilitator).get(reverse("home")).content.decode()
    )


# --- handouts ----------------------------------------------------------------------------


@pytest.fixture
def handout(workshops) -> Handout:
    return workshops.themes.get(number=1).handouts.get()


@pytest.mark.parametrize("role", ["facilitator", "manager"])
def test_staff_who_run_groups_download_a_handout(client_for, org_a, handout, role):
    response = client_for(getattr(org_a, role)).get(reverse("library:handout", args=[handout.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_handout_has_no_public_address(client, client_for, org_a, org_b, handout):
    assert handout.file.url.startswith("/media/")
    assert client.get(handout.file.url).status_code == 404
    url = reverse("library:handout", args=[handout.pk])
    assert client.get(url).status_code == 302  # to sign in
    assert client_for(org_b.facilitator).get(url).status_code == 404
    assert client_for(org_a.partner_support).get(url).status_code == 403


def test_a_handout_whose_file_is_gone_is_not_found(client_for, org_a, handout):
    handout.file.storage.delete(handout.file.name)
    assert (
        client_for(org_a.facilitator).get(reverse("library:handout", args=[handout.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sheet.exe", b"MZ\x90", "Upload a PDF, Word (.docx), OpenDocument (.odt), text, PNG"),
        ("sheet.pdf", b"MZ\x90 not a pdf", "This file is not a PDF file"),
        ("sheet.docx", PDF, "This file is not a DOCX file"),
        ("notes.txt", b"\x00\x01binary", "This file is not a TXT file"),
    ],
)
def test_a_handout_of_the_wrong_type_is_refused(workshops, name, content, message):
    from django.core.exceptions import ValidationError

    handout = Handout(theme=workshops.themes.get(number=2), title_en="Sheet")
    handout.file = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=re.escape(message)):
        handout.full_clean()


def test_a_handout_too_large_is_refused(workshops, settings):
    from django.core.exceptions import ValidationError

    settings.IMPORT_MAX_BYTES = 10
    handout = Handout(theme=workshops.themes.get(number=2), title_en="Sheet")
    handout.file = SimpleUploadedFile("sheet.pdf", PDF)
    with pytest.raises(ValidationError, match="larger than"):
        handout.full_clean()


def test_an_administrator_adds_a_handout_and_a_plan_on_the_weeks_admin_page(
    client_for, org_a, workshops
):
    theme = workshops.themes.get(number=2)
    client = client_for(org_a.administrator, reauthenticated=True)
    url = reverse("admin:group_sessions_theme_change", args=[theme.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title_en": theme.title_en,
            "title_ru": theme.title_ru,
            "description_en": theme.description_en,
            "description_ru": theme.description_ru,
            "plan_en": "Check-in; time-out practice; close.",
            "plan_ru": "Знакомство; тайм-аут; завершение.",
            "is_core": "on",
            "handouts-TOTAL_FORMS": "2",
            "handouts-INITIAL_FORMS": "1",
            "handouts-MIN_NUM_FORMS": "0",
            "handouts-MAX_NUM_FORMS": "1000",
            "handouts-0-id": theme.handouts.get().pk,
            "handouts-0-theme": theme.pk,
            "handouts-0-title_en": "Worksheet 2",
            "handouts-0-title_ru": "Рабочий лист 2",
            "handouts-1-theme": theme.pk,
            "handouts-1-title_en": "Time-out card",
            "handouts-1-title_ru": "Карточка тайм-аута",
            "handouts-1-file": SimpleUploadedFile("card.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    theme.refresh_from_db()
    assert theme.plan_ru == "Знакомство; тайм-аут; завершение."
    assert sorted(theme.handouts.values_list("title_en", flat=True)) == [
        "Time-out card",
        "Worksheet 2",
    ]


def test_an_administrator_sees_only_the_own_organisations_weeks(client_for, org_a, org_b):
    theirs = programme_install_cautioning(org_b.organisation).themes.first()
    client = client_for(org_a.administrator, reauthenticated=True)
    url = reverse("admin:group_sessions_theme_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # "does not exist" back to the list


def test_the_register_shows_the_weeks_plan_and_handouts(client_for, org_a, workshops, handout):
    import datetime

    from django.utils import timezone

    from sessions import services as session_services

    start = timezone.localdate() + datetime.timedelta(days=3)
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": workshops,
            "name": "Workshops",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Hall",
            "weekday": start.weekday(),
            "start_time": datetime.time(10, 0),
            "duration_minutes": 150,
            "start_date": start,
            "capacity": 12,
            "intake": "closed",
        },
    )
    session = group.sessions.order_by("date").first()
    page = (
        client_for(org_a.facilitator)
        .get(reverse("group_sessions:register", args=[session.public_id]))
        .content.decode()
    )
    materials = page.split('data-testid="session-materials"')[1][:1000]
    assert "Welcome. Exercise 1. Close." in materials
    assert reverse("library:handout", args=[handout.pk]) in materials
    assert "Worksheet 1" in materials
