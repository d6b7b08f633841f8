"""Every import refuses, on its form and before reading a row, a file that is too large or is
not the CSV or XLSX its name says, and saves nothing."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dvpp.models import Role
from dvpp.uploads import validate_spreadsheet_upload

from .urls import case_data

# Each import page and who may use it.
IMPORTS = [
    ("participants:import", Role.MANAGER),
    ("outcomes:import_partner_surveys", Role.PARTNER_SUPPORT),
    ("outcomes:import_men_surveys", Role.MANAGER),
]
HEADER = (
    b"last_name,first_name,date_of_birth,source,referrer_organisation,made_on,received_on,reason\n"
)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _workbook() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["last_name", "first_name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "program-renamed-csv": ("referrals.csv", WINDOWS_PROGRAM, "not a CSV text file"),
    "pdf-renamed-xlsx": ("referrals.xlsx", PDF, "not an Excel workbook"),
    "csv-with-nul-bytes": ("referrals.csv", HEADER + b"Smith,Jo\x00hn\n", "not a CSV text file"),
    "csv-not-utf8": ("referrals.csv", HEADER + "Пётр".encode("cp1251"), "UTF-8"),
    "other-zip-renamed-xlsx": (
        "referrals.xlsx",
        _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
        "not an Excel workbook",
    ),
    "zip-bomb": (
        "referrals.xlsx",
        _zip(
            {
                "[Content_Types].xml": b"<x/>",
                "xl/workbook.xml": b"<w/>",
                "xl/worksheets/sheet1.xml": b"\x00" * 2_000_000,
            }
        ),
        "unpacks to far more",
    ),
    "text-file": ("referrals.txt", HEADER, "Upload a .csv or .xlsx file."),
    "no-extension": ("referrals", HEADER, "Upload a .csv or .xlsx file."),
}


def _post(client_for, org, url_name, role, name, content):
    client = client_for(org.for_role(role), reauthenticated=True)
    before = case_data()
    response = client.post(
        reverse(url_name), {"file": SimpleUploadedFile(name, content), "dry_run": ""}
    )
    assert response.status_code == 200
    assert case_data() == before, "a refused file saved something"
    return response


@pytest.mark.parametrize(("url_name", "role"), IMPORTS)
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_file_that_is_not_what_its_name_says_is_refused(client_for, org_a, url_name, role, case):
    name, content, message = BAD_FILES[case]
    response = _post(client_for, org_a, url_name, role, name, content)
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()


@pytest.mark.parametrize(("url_name", "role"), IMPORTS)
def test_a_file_over_the_limit_is_refused(client_for, org_a, settings, url_name, role):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    row = b"Smith,John,1980-01-01,self,Self,2026-01-01,2026-01-01,x\n"
    content = HEADER + row * (1024 * 1024 // len(row) + 1)
    response = _post(client_for, org_a, url_name, role, "referrals.csv", content)
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]


def test_the_default_limit_is_five_megabytes(settings):
    assert settings.IMPORT_MAX_BYTES == 5 * 1024 * 1024
    big = SimpleUploadedFile("referrals.csv", HEADER + b"x" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        validate_spreadsheet_upload(big)
    validate_spreadsheet_upload(SimpleUploadedFile("referrals.csv", HEADER))


def test_good_files_pass_and_can_still_be_read_from_the_start():
    for name, content in (("r.csv", "\ufeff".encode() + HEADER), ("r.XLSX", _workbook())):
        upload = SimpleUploadedFile(name, content)
        validate_spreadsheet_upload(upload)
        assert upload.read() == content
