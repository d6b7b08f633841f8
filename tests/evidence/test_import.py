"""Importing incidents after referral from a police or probation spreadsheet: dry run, per-row
errors, all or nothing, no duplicates, and another organisation's case looks like no case."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from evidence.importing import COLUMN_NAMES, import_incidents
from evidence.models import Incident, IncidentCategory
from evidence.services import incident_record
from tests.factories import ParticipantFactory, ReferralFactory

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "incidents.csv"

TODAY = timezone.localdate()
REFERRED = TODAY - datetime.timedelta(days=200)
FIRST = REFERRED + datetime.timedelta(days=30)
SECOND = REFERRED + datetime.timedelta(days=90)


def referred_man(organisation, reference, referred=REFERRED):
    man = ParticipantFactory(organisation=organisation, reference=reference)
    ReferralFactory(participant=man, made_on=referred, received_on=referred)
    return man


@pytest.fixture
def man(org_a):
    return referred_man(org_a.organisation, "00042")


@pytest.fixture
def other_mans_reference(org_b):
    """A man of organisation B, with a reference no man of A has."""
    return referred_man(org_b.organisation, "00077").reference


def good_csv(man) -> str:
    return (
        "case_reference,occurred_on,known_via,category,police_involved,outcome\n"
        f"{man.reference},{FIRST.isoformat()},police,abh,yes,charge\n"
        f"{man.reference},{SECOND.isoformat()},himself,Stalking or harassment,,\n"
    )


def run(org, text, *, name="incidents.csv", dry_run=False, encoding="utf-8"):
    data = text.encode(encoding)
    return import_incidents(
        organisation=org.organisation,
        by=org.manager,
        name=name,
        content=io.BytesIO(data),
        size=len(data),
        dry_run=dry_run,
    )


def errors_of(report):
    return [(error.row, error.column) for error in report.errors]


def test_a_good_csv_is_imported(org_a, man):
    report = run(org_a, good_csv(man))
    assert report.errors == []
    assert report.imported and (report.rows, report.incidents_new) == (2, 2)
    charged, stalking = Incident.objects.order_by("occurred_on")
    assert (charged.occurred_on, charged.known_via, charged.category.code) == (
        FIRST,
        "police",
        "abh",
    )
    assert charged.police_involved and charged.outcome == "charge"
    assert charged.recorded_by == org_a.manager
    assert charged.organisation == org_a.organisation and charged.participant == man
    assert (stalking.category.code, stalking.known_via) == ("stalking", "himself")
    assert not stalking.police_involved and stalking.outcome == Incident.Outcome.UNKNOWN
    assert report.summary() == "Imported: 2 new incidents; 0 incidents already recorded."


def test_a_csv_with_a_byte_order_mark_and_semicolons_is_read(org_a, man):
    text = good_csv(man).replace(",", ";")
    assert run(org_a, text, encoding="utf-8-sig").imported
    assert Incident.objects.count() == 2


def test_a_good_xlsx_is_imported_with_date_cells_and_a_reference_without_its_zeros(org_a, man):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["case_reference", "occurred_on", "known_via", "category", "police_involved"])
    # Excel turns 00042 into the number 42, and a date into a date cell.
    sheet.append([42, FIRST, "probation", "coercive-control", True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    report = import_incidents(
        organisation=org_a.organisation,
        by=org_a.manager,
        name="From Probation.XLSX",
        content=io.BytesIO(data),
        size=len(data),
        dry_run=False,
    )
    assert report.imported, report.errors
    incident = Incident.objects.get()
    assert (incident.participant, incident.occurred_on, incident.category.code) == (
        man,
        FIRST,
        "coercive-control",
    )
    assert incident.known_via == "probation" and incident.police_involved


def test_russian_labels_and_dates_written_day_first_are_understood(org_a, man):
    text = (
        "case_reference,occurred_on,known_via,category,police_involved,outcome\n"
        f"{man.reference},{FIRST:%d.%m.%Y},police,ПРЕСЛЕДОВАНИЕ,да,Предупреждение\n"
        f"{man.reference},{SECOND:%d.%m.%Y},probation,Угроза  убийством,нет,без дальнейших мер\n"
        f"{man.reference},{SECOND:%d.%m.%Y},himself,Common Assault,,Administrative penalty\n"
    )
    report = run(org_a, text)
    assert report.errors == []
    found = set(
        Incident.objects.values_list("occurred_on", "category__code", "police_involved", "outcome")
    )
    assert found == {
        (FIRST, "stalking", True, "caution"),
        (SECOND, "threats-to-kill", False, "nfa"),
        (SECOND, "common-assault", False, "administrative"),
    }


def test_each_bad_row_is_reported_by_row_and_column_and_nothing_is_saved(org_a, man):
    tomorrow = TODAY + datetime.timedelta(days=1)
    before = REFERRED - datetime.timedelta(days=1)
    ref = man.reference
    text = good_csv(man) + (
        f"99999,{FIRST},police,abh,,\n"  # row 4: no such case
        f"{ref},{before},police,abh,,\n"  # row 5: before his referral
        f"{ref},{tomorrow},police,abh,,\n"  # row 6: in the future
        f"{ref},{FIRST},police,arson,,\n"  # row 7: not a category of the organisation
        f"{ref},31.02.2026,police,abh,,\n"  # row 8: not a date
        f"{ref},{FIRST},neighbour,abh,,\n"  # row 9: not a way of becoming known
        f"{ref},{FIRST},police,abh,perhaps,\n"  # row 10: not yes or no
        f"{ref},{FIRST},police,abh,,acquitted\n"  # row 11: not an outcome
        f",{FIRST},police,,,\n"  # row 12: required cells empty
    )
    report = run(org_a, text)
    assert errors_of(report) == [
        (4, "case_reference"),
        (5, "occurred_on"),
        (6, "occurred_on"),
        (7, "category"),
        (8, "occurred_on"),
        (9, "known_via"),
        (10, "police_involved"),
        (11, "outcome"),
        (12, "case_reference"),
        (12, "category"),
    ]
    messages = {error.row: error.message for error in report.errors}
    assert messages[4] == "No case with this reference."
    assert "before his referral" in messages[5]
    assert "future" in messages[6]
    assert "arson" in messages[7] and "incident categories" in messages[7]
    assert "is not a date" in messages[8]
    assert messages[9] == "Write one of: police, probation, himself."
    assert messages[10] == "Write yes or no."
    assert "conviction" in messages[11]
    assert not report.imported
    assert not Incident.objects.exists()


def test_another_organisations_case_is_reported_exactly_like_no_case(
    org_a, man, other_mans_reference
):
    text = (
        "case_reference,occurred_on,known_via,category\n"
        f"{other_mans_reference},{FIRST},police,abh\n"
        f"00078,{FIRST},police,abh\n"  # no man anywhere has this reference
    )
    report = run(org_a, text)
    theirs, nobodys = report.errors
    assert (theirs.column, theirs.message) == (nobodys.column, nobodys.message)
    assert theirs.message == "No case with this reference."
    assert not Incident.objects.exists()


def test_a_man_without_a_referral_has_no_incidents_imported(org_a):
    ParticipantFactory(organisation=org_a.organisation, reference="00050")
    report = run(
        org_a, f"case_reference,occurred_on,known_via,category\n00050,{FIRST},police,abh\n"
    )
    assert errors_of(report) == [(2, "occurred_on")]
    assert "no referral" in report.errors[0].message


def test_an_incident_learnt_from_his_partner_is_refused(org_a, man):
    for known_via in ("partner_support", "Reported to the partner support service"):
        text = good_csv(man) + f"{man.reference},{FIRST},{known_via},abh,,\n"
        report = run(org_a, text)
        assert errors_of(report) == [(4, "known_via")]
        assert "never imported" in report.errors[0].message
    assert not Incident.objects.exists()


def test_a_dry_run_checks_every_rule_and_saves_nothing(org_a, man):
    report = run(org_a, good_csv(man), dry_run=True)
    assert report.errors == [] and (report.incidents_new, report.imported) == (2, False)
    assert report.summary() == (
        "Checked, nothing changed: 2 new incidents; 0 incidents already recorded."
    )
    assert not Incident.objects.exists()
    late = good_csv(man).replace(FIRST.isoformat(), (TODAY + datetime.timedelta(1)).isoformat())
    assert errors_of(run(org_a, late, dry_run=True)) == [(2, "occurred_on")]


def test_a_reimport_skips_what_is_already_recorded(org_a, man):
    assert run(org_a, good_csv(man)).incidents_new == 2
    again = run(org_a, good_csv(man))
    assert again.imported
    assert (again.incidents_new, again.incidents_existing, again.existing_rows) == (0, 2, [2, 3])
    assert again.summary() == "Imported: 0 new incidents; 2 incidents already recorded."
    assert Incident.objects.count() == 2


def test_an_incident_entered_by_hand_is_not_imported_again(org_a, man):
    incident_record(
        participant=man,
        by=org_a.facilitator,
        occurred_on=FIRST,
        known_via="police",
        category=IncidentCategory.objects.get(organisation=org_a.organisation, code="abh"),
    )
    report = run(org_a, good_csv(man), dry_run=True)
    assert (report.incidents_new, report.incidents_existing, report.existing_rows) == (1, 1, [2])
    with translation.override("ru"):
        assert "1" in report.summary()


def test_two_like_incidents_on_one_day_are_both_kept_and_not_doubled_later(org_a, man):
    row = f"{man.reference},{FIRST},police,common-assault,,\n"
    text = "case_reference,occurred_on,known_via,category,police_involved,outcome\n" + row * 2
    assert run(org_a, text).incidents_new == 2
    again = run(org_a, text + row)
    assert (again.incidents_new, again.incidents_existing) == (1, 2)
    assert Incident.objects.count() == 3


def test_a_file_over_the_size_limit_is_refused(org_a, man, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    data = good_csv(man).encode()
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        import_incidents(
            organisation=org_a.organisation,
            by=org_a.manager,
            name="incidents.csv",
            content=io.BytesIO(data),
            size=settings.IMPORT_MAX_BYTES + 1,
            dry_run=True,
        )
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("case_reference,occurred_on,known_via,category,victim_name", "Unknown columns"),
        ("case_reference,occurred_on,category", "Columns missing"),
    ],
)
def test_a_file_with_unknown_or_missing_columns_is_refused(org_a, man, header, message):
    with pytest.raises(ValidationError, match=message):
        run(org_a, header + "\n")


def test_the_example_file_in_the_docs_imports(org_a):
    for reference in ("00001", "00002"):
        referred_man(org_a.organisation, reference, datetime.date(2026, 1, 5))
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == COLUMN_NAMES
    report = run(org_a, text, dry_run=True)
    assert report.errors == [] and report.incidents_new == report.rows > 0


def test_a_label_two_categories_share_is_refused_but_their_codes_work(org_a, man):
    IncidentCategory.objects.create(
        organisation=org_a.organisation, code="online-stalking", label_en="Stalking or harassment"
    )
    report = run(org_a, good_csv(man))
    assert errors_of(report) == [(3, "category")]
    assert "write its code" in report.errors[0].message
    fixed = good_csv(man).replace("Stalking or harassment", "online-stalking")
    assert run(org_a, fixed).imported
    assert Incident.objects.filter(category__code="online-stalking").count() == 1


def test_an_archived_category_is_not_offered(org_a, man):
    IncidentCategory.objects.filter(organisation=org_a.organisation, code="abh").update(
        is_archived=True
    )
    assert errors_of(run(org_a, good_csv(man))) == [(2, "category")]
