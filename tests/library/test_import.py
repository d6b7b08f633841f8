"""Another member imports a package as its own copy; a newer version shows what changed and is
imported as a new copy, leaving the old one (and its groups) as they were."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.models import Membership
from dvpp.models import AuditEvent
from library import services
from library.models import ImportedFrom
from outcomes.models import Instrument
from sessions import services as session_services
from sessions.models import Programme

from .conftest import PNG, add_handout, instrument, publish


def _import(org, package):
    return services.package_import(organisation=org.organisation, by=org.manager, package=package)


def test_a_member_imports_a_copy_with_weeks_plans_handouts_and_both_languages(
    org_a, org_b, shared, workshops
):
    package = publish(org_a, workshops, shared)
    copy = _import(org_b, package)
    assert copy.organisation == org_b.organisation and copy.pk != workshops.pk
    assert (copy.name_en, copy.name_ru) == (workshops.name_en, workshops.name_ru)
    assert (copy.session_count, copy.interval_days, copy.complete_within_days) == (2, 21, 84)
    assert copy.missed_session_restarts and copy.report_outcome_to_referrer
    themes = list(copy.themes.order_by("number"))
    assert [t.title_en for t in themes] == [t.title_en for t in workshops.themes.order_by("number")]
    assert themes[0].plan_ru == "Приветствие. Упражнение 1. Завершение."
    handout = themes[0].handouts.get()
    assert (handout.title_en, handout.title_ru) == ("Worksheet 1", "Рабочий лист 1")
    with handout.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")
    # Its own file, not the publisher's.
    assert handout.file.name != workshops.themes.get(number=1).handouts.get().file.name
    origin = copy.imported_from
    assert (origin.key, origin.version, origin.source) == (package.key, 1, "library")
    assert origin.manifest == package.manifest


def test_surveys_arrive_as_the_next_version_of_the_same_code(org_a, org_b, shared, workshops):
    survey = instrument(org_a, "partner-safety")
    survey.name_en = "Partner safety (coalition wording)"
    survey.save()
    theirs_before = instrument(org_b, "partner-safety")
    package = publish(org_a, workshops, shared, instruments=[survey])
    _import(org_b, package)
    versions = Instrument.objects.filter(organisation=org_b.organisation, code="partner-safety")
    assert sorted(versions.values_list("version", "is_current")) == [
        (theirs_before.version, False),
        (theirs_before.version + 1, True),
    ]
    new = versions.get(is_current=True)
    assert new.name_en == "Partner safety (coalition wording)"
    assert new.questions.count() == survey.questions.count()
    assert set(new.measures.values_list("code", flat=True)) == set(
        survey.measures.values_list("code", flat=True)
    )


def test_a_survey_new_to_the_importer_is_its_version_one(org_a, org_b, shared, workshops):
    survey = instrument(org_a, "men-self-report")
    Instrument.objects.filter(organisation=org_b.organisation, code="men-self-report").delete()
    _import(org_b, publish(org_a, workshops, shared, instruments=[survey]))
    new = instrument(org_b, "men-self-report")
    assert new.version == 1 and new.organisation == org_b.organisation


def test_importing_the_same_version_twice_makes_one_copy(org_a, org_b, shared, workshops):
    package = publish(org_a, workshops, shared)
    _import(org_b, package)
    with pytest.raises(ValidationError, match="already imported version 1"):
        _import(org_b, package)
    assert Programme.objects.filter(organisation=org_b.organisation).count() == 1


def test_a_newer_version_shows_what_changed_and_is_imported_as_a_new_copy(
    client_for, org_a, org_b, shared, workshops
):
    first = publish(org_a, workshops, shared)
    old_copy = _import(org_b, first)
    today = timezone.localdate()
    group = session_services.group_create(
        organisation=org_b.organisation,
        by=org_b.manager,
        data={
            "programme": old_copy,
            "name": "Thursday workshops",
            "facilitator": org_b.facilitator,
            "co_facilitator": None,
            "venue": "Room 2",
            "weekday": today.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": today,
            "capacity": 12,
            "intake": "rolling",
        },
    )
    # The publisher changes the rules, renames week 2, adds a handout and a survey.
    workshops.interval_days = 14
    workshops.save()
    theme = workshops.themes.get(number=2)
    theme.title_en = "Workshop 2: choosing respect"
    theme.save()
    add_handout(workshops.themes.get(number=1), "Feelings wheel", "Колесо чувств", PNG, "wheel.png")
    second = publish(
        org_a,
        workshops,
        shared,
        instruments=[instrument(org_a, "men-self-report")],
        note="Shorter gap; week 2 renamed",
    )

    client = client_for(org_b.manager)
    page = client.get(reverse("library:index")).content.decode()
    newer = page.split('data-testid="newer-version"')[1].split('data-testid="packages"')[0]
    assert "A newer version exists: version 2." in newer
    assert "Shorter gap; week 2 renamed" in newer
    assert "Days between sessions: 21 → 14" in newer
    assert (
        "Week 2: “Workshop 2: choosing not to be abusive” → “Workshop 2: choosing respect”" in newer
    )
    assert "Week 1: “Feelings wheel” added" in newer
    assert "Men&#x27;s self-report" in newer and "added" in newer
    detail = client.get(reverse("library:package", args=[second.key, 2])).content.decode()
    assert "What changed since version 1, which you imported" in detail

    response = client.post(reverse("library:import", args=[second.key, 2]))
    assert response["Location"] == reverse("library:index")
    new_copy = ImportedFrom.objects.get(organisation=org_b.organisation, version=2).programme
    assert new_copy.interval_days == 14
    assert new_copy.themes.get(number=2).title_en == "Workshop 2: choosing respect"
    # The old copy and its group's schedule are as they were.
    old_copy.refresh_from_db()
    assert old_copy.interval_days == 21
    assert old_copy.themes.get(number=2).title_en == "Workshop 2: choosing not to be abusive"
    assert group.sessions.order_by("date")[1].theme.programme_id == old_copy.pk
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE,
        object_type="group_sessions.programme",
        object_id=str(new_copy.pk),
    )
    assert (event.object_type, event.what) == ("group_sessions.programme", "imported package v2")
    # Up to date now: no more "newer version".
    assert (
        'data-testid="newer-version"' not in client.get(reverse("library:index")).content.decode()
    )


def test_a_group_created_on_the_imported_programme_gets_its_weeks(org_a, org_b, shared, workshops):
    copy = _import(org_b, publish(org_a, workshops, shared))
    start = timezone.localdate() + datetime.timedelta(days=7)
    group = session_services.group_create(
        organisation=org_b.organisation,
        by=org_b.manager,
        data={
            "programme": copy,
            "name": "Cautioned men",
            "facilitator": org_b.facilitator,
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
    sessions = list(group.sessions.order_by("date").select_related("theme"))
    assert [s.theme.title_en for s in sessions] == [
        "Workshop 1: what happened and its effects",
        "Workshop 2: choosing not to be abusive",
    ]
    assert all(s.theme.programme_id == copy.pk for s in sessions)
    assert (sessions[1].date - sessions[0].date).days >= 21


# --- who may see and import -----------------------------------------------------------------


def test_a_non_member_cannot_see_or_import_the_coalitions_packages(
    client_for, org_a, org_c, coalition, workshops
):
    package = publish(org_a, workshops, coalition)
    client = client_for(org_c.manager)
    assert "Respectful relationships" not in client.get(reverse("library:index")).content.decode()
    for name in ("library:package", "library:download"):
        assert client.get(reverse(name, args=[package.key, 1])).status_code == 404
    assert client.post(reverse("library:import", args=[package.key, 1])).status_code == 404
    with pytest.raises(ValidationError, match="not a current member"):
        _import(org_c, package)
    assert not Programme.objects.filter(organisation=org_c.organisation).exists()


def test_an_organisation_that_left_sees_the_packages_no_more(
    client_for, org_a, org_b, shared, workshops
):
    package = publish(org_a, workshops, shared)
    Membership.objects.filter(organisation=org_b.organisation, coalition=shared).update(
        left_on=timezone.localdate()
    )
    client = client_for(org_b.manager)
    assert client.get(reverse("library:package", args=[package.key, 1])).status_code == 404
    assert "Respectful relationships" not in client.get(reverse("library:index")).content.decode()


def test_an_unknown_or_malformed_package_is_not_found(client_for, org_a, coalition, workshops):
    package = publish(org_a, workshops, coalition)
    client = client_for(org_a.manager)
    assert client.get(reverse("library:package", args=[package.key, 7])).status_code == 404
    assert client.get(f"/library/packages/{package.key}/vx/").status_code == 404
    assert client.get("/library/packages/not-a-uuid/v1/").status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "partner_support", "administrator"])
def test_only_managers_work_in_the_library(client_for, org_a, coalition, workshops, role):
    package = publish(org_a, workshops, coalition)
    client = client_for(getattr(org_a, role))
    assert client.get(reverse("library:index")).status_code == 403
    assert client.post(reverse("library:import", args=[package.key, 1])).status_code == 403
