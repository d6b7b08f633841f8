"""Every spreadsheet the product writes has tabs Excel opens, with names a reader understands:
at most 31 characters, cut at a word, unique, without the characters Excel forbids."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from dvpp.reporting import sheet_name
from evidence import exports as evidence_exports
from evidence import figures as evidence_figures
from outcomes import exports as outcome_exports
from outcomes import figures as outcome_figures

FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _check(names: list[str]) -> None:
    assert all(0 < len(name) <= 31 for name in names), names
    assert not any(FORBIDDEN.search(name) for name in names), names
    assert not any(name.startswith("'") or name.endswith("'") for name in names), names
    assert len({name.casefold() for name in names}) == len(names), names


def test_a_long_title_is_cut_at_a_word_and_made_unique():
    taken: set[str] = set()
    long = "Re-offending and harm within 12 months of the start"
    assert sheet_name(long, taken) == "Re-offending and harm within 12"
    assert sheet_name(long, taken) == "Re-offending and harm withi (2)"
    assert sheet_name("Rates [per man]: a/b?", taken) == "Rates per man"
    assert sheet_name("'Quoted'", taken) == "Quoted"
    assert sheet_name("History", taken) == "History (2)"
    assert sheet_name("", taken) == "-"
    _check([*taken])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_evidence_report_has_short_meaningful_tabs(org_a, language):
    with translation.override(language):
        report = evidence_figures.build(org_a.organisation, months=12)
        names = openpyxl.load_workbook(io.BytesIO(evidence_exports.to_xlsx(report))).sheetnames
    _check(names)
    expected = {
        "en": ["Report", "Women's safety", "Men's change", "Re-offending and harm"],
        "ru": ["Отчёт", "Безопасность женщин", "Изменения у мужчин", "Правонарушения и вред"],
    }[language]
    assert names[:4] == expected
    assert names[4] in {"Against comparison", "Сравнение с группой"}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_outcome_tables_have_short_meaningful_tabs(org_a, language):
    with translation.override(language):
        rows = outcome_figures.paired_table(org_a.organisation, outcome_figures.Filters())
        programme = outcome_figures.programme_figures(org_a.organisation, outcome_figures.Filters())
        names = openpyxl.load_workbook(
            io.BytesIO(outcome_exports.to_xlsx(rows, programme))
        ).sheetnames
    _check(names)
    assert (
        names
        == {"en": ["Before and after", "Programme"], "ru": ["До и после", "Программа"]}[language]
    )


def test_the_dashboard_download_has_the_same_tabs(client_for, org_a):
    client = client_for(org_a.manager, reauthenticated=True)
    response = client.get(reverse("outcomes:export", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="ru")
    names = openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    _check(names)
