"""Importing referral history: dry run, per-row errors, all or nothing, no duplicates."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.importing import COLUMN_NAMES, import_file
from participants.models import Participant, Referral

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "referrals.csv"

GOOD = """last_name,first_name,patronymic,date_of_birth,source,referrer_organisation,made_on,received_on,reason,statutory,order_start_on,order_end_on
Иванов,Иван,Иванович,12.03.1979,court,Районный суд,2026-01-10,2026-01-12,Побои,да,2026-01-01,2027-01-01
Smith,John,,1982-07-01,self,,2026-02-01,2026-02-01,Asked for help,no,,
Иванов,Иван,Иванович,1979-03-12,police,Отдел полиции,2026-03-01,2026-03-02,Повторный вызов,нет,,
"""
GOOD_WITH_REQUIRED = GOOD.replace(
    "Smith,John,,1982-07-01,self,,", "Smith,John,,1982-07-01,self,Self,"
)


def run(org, text, *, name="referrals.csv", dry_run=False, encoding="utf-8"):
    data = text.encode(encoding)
    return import_file(
        organisation=org.organisation,
        by=org.manager,
        name=name,
        content=io.BytesIO(data),
        size=len(data),
        dry_run=dry_run,
    )


def test_dry_run_reports_and_changes_nothing(org_a):
    report = run(org_a, GOOD_WITH_REQUIRED, dry_run=True)
    assert report.errors == []
    assert (report.people_new, report.referrals_new, report.imported) == (2, 3, False)
    assert not Participant.objects.exists()


def test_import_creates_people_and_referrals_and_a_reimport_adds_nothing(org_a):
    report = run(org_a, GOOD_WITH_REQUIRED)
    assert report.imported and (report.people_new, report.referrals_new) == (2, 3)
    ivanov = Participant.objects.get(last_name="Иванов")
    assert ivanov.referrals.count() == 2
    assert ivanov.referrals.filter(is_statutory=True).count() == 1
    assert ivanov.status_changes.count() == 1  # referred once, not reopened
    again = run(org_a, GOOD_WITH_REQUIRED)
    assert (again.people_new, again.referrals_new, again.referrals_existing) == (0, 0, 3)
    assert Participant.objects.count() == 2 and Referral.objects.count() == 3


def test_rows_with_problems_are_reported_by_row_and_column_and_nothing_is_imported(org_a):
    bad = GOOD_WITH_REQUIRED + (
        "Петров,Пётр,,31.02.1980,court,Суд,2026-01-10,2026-01-12,x,нет,,\n"
        "Сидоров,Олег,,1980-01-01,tribunal,Суд,2026-01-10,2026-01-09,x,нет,,\n"
        "Кузнецов,Олег,,1980-01-01,court,Суд,2026-01-10,2026-01-12,x,maybe,,\n"
        ",Олег,,1980-01-01,court,Суд,2026-01-10,2026-01-12,x,да,2026-01-01,2025-01-01\n"
    )
    report = run(org_a, bad)
    found = {(error.row, error.column) for error in report.errors}
    assert (5, "date_of_birth") in found
    assert (6, "source") in found
    assert (7, "statutory") in found
    assert (8, "last_name") in found
    messages = " ".join(error.message for error in report.errors)
    assert "is not a date" in messages and "tribunal" in messages
    assert not report.imported
    assert not Participant.objects.exists() and not Referral.objects.exists()


def test_model_rules_apply_to_imported_rows(org_a):
    text = GOOD_WITH_REQUIRED.replace("2026-01-10,2026-01-12", "2026-01-12,2026-01-10", 1)
    report = run(org_a, text)
    assert [(e.row, e.column) for e in report.errors] == [(2, "received_on")]
    assert not Participant.objects.exists()


def test_semicolon_csv_with_a_byte_order_mark_is_read(org_a):
    text = "\ufeff" + GOOD_WITH_REQUIRED.replace(",", ";")
    assert run(org_a, text).imported


def test_xlsx_with_real_dates_is_read(org_a):
    import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "last_name",
            "first_name",
            "date_of_birth",
            "source",
            "referrer_organisation",
            "made_on",
            "received_on",
            "reason",
        ]
    )
    sheet.append(
        [
            "Орлов",
            "Денис",
            datetime.date(1990, 1, 2),
            "self",
            "Сам",
            datetime.date(2026, 5, 1),
            datetime.date(2026, 5, 3),
            "Сам обратился",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    report = import_file(
        organisation=org_a.organisation,
        by=None,
        name="history.XLSX",
        content=io.BytesIO(data),
        size=len(data),
        dry_run=False,
    )
    assert report.imported
    assert Participant.objects.get().date_of_birth == datetime.date(1990, 1, 2)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("notes.txt", GOOD, "Upload a .csv or .xlsx file."),
        ("fake.xlsx", GOOD, "not a valid XLSX"),
        ("empty.csv", "", "The file is empty."),
        ("short.csv", "last_name,first_name\nA,B\n", "Columns missing"),
        ("extra.csv", GOOD.replace("reason,", "reason,shoe_size,", 1), "Unknown columns"),
    ],
)
def test_an_unreadable_file_is_refused_whole(org_a, name, text, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        run(org_a, text, name=name)


def test_a_file_not_in_utf8_is_refused_clearly(org_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="UTF-8"):
        run(org_a, GOOD_WITH_REQUIRED, encoding="cp1251")


def test_manager_imports_through_the_page_after_a_dry_run(client_for, org_a):
    client = client_for(org_a.manager)
    assert client.get(reverse("participants:import")).status_code == 200

    def upload(dry_run):
        data = {"file": SimpleUploadedFile("r.csv", GOOD_WITH_REQUIRED.encode())}
        if dry_run:
            data["dry_run"] = "on"
        return client.post(reverse("participants:import"), data).content.decode()

    assert "Checked, nothing changed: 2 new people, 3 new referrals" in upload(True)
    assert not Participant.objects.exists()
    assert "Imported: 2 new people, 3 new referrals" in upload(False)
    assert Participant.objects.count() == 2


def test_the_import_page_lists_row_errors(client_for, org_a):
    bad = GOOD_WITH_REQUIRED.replace("court", "tribunal", 1)
    content = (
        client_for(org_a.manager)
        .post(
            reverse("participants:import"),
            {"file": SimpleUploadedFile("r.csv", bad.encode())},
        )
        .content.decode()
    )
    assert "1 problem found: nothing was imported." in content
    assert "“tribunal” is not one of this organisation" in content


def test_a_file_with_thousands_of_bad_rows_lists_the_first_200(client_for, org_a):
    header, good_row = GOOD_WITH_REQUIRED.splitlines()[:2]
    bad_row = good_row.replace("court", "tribunal", 1)
    bad = "\n".join([header, *[bad_row] * 3_000]) + "\n"
    content = (
        client_for(org_a.manager)
        .post(reverse("participants:import"), {"file": SimpleUploadedFile("r.csv", bad.encode())})
        .content.decode()
    )
    # Every problem is counted, the first 200 are listed, and nothing is imported.
    assert "3000 problems found: nothing was imported." in content
    assert content.count("“tribunal” is not one of this organisation") == 200
    assert 'data-testid="import-more-errors"' in content
    assert not Participant.objects.exists()


def test_an_oversized_upload_is_refused(client_for, org_a):
    big = GOOD_WITH_REQUIRED + ("x," * 10 + "\n") * 600_000
    content = (
        client_for(org_a.manager)
        .post(reverse("participants:import"), {"file": SimpleUploadedFile("r.csv", big.encode())})
        .content.decode()
    )
    assert "larger than 5 MB" in content
    assert not Participant.objects.exists()


def test_the_documented_example_file_imports_cleanly(org_a):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == COLUMN_NAMES
    report = run(org_a, text, dry_run=True)
    assert report.errors == []
    assert report.referrals_new >= 3


def test_the_command_imports_and_exits_non_zero_on_bad_rows(tmp_path, transactional_db):
    from tests.factories import OrganisationFactory

    OrganisationFactory(slug="cmd-org")
    good = tmp_path / "good.csv"
    good.write_text(GOOD_WITH_REQUIRED, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_WITH_REQUIRED.replace("court", "tribunal", 1), encoding="utf-8")
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_referrals", str(bad), "--organisation", "cmd-org")
    assert not Participant.objects.exists()
    call_command("import_referrals", str(good), "--organisation", "cmd-org", "--dry-run")
    assert not Participant.objects.exists()
    call_command("import_referrals", str(good), "--organisation", "cmd-org")
    assert Participant.objects.count() == 2
