"""Figures read in words, with their intervals, the same in the page, the downloads and the
commands, in English and Russian: reductions as "35% fewer (95% CI 2% to 57%)", an increase as
"more", an interval that spans no change as "no clear difference"; the women's before/after
table with the interval of each change (Newcombe's paired interval)."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from evidence import exports as evidence_exports
from evidence import figures as evidence_figures
from outcomes import display, figures
from outcomes.stats import Estimate

CASES = [
    # (estimate, amount, English, Russian)
    (
        Estimate(0.35, 0.0219, 0.5680),
        False,
        "35% fewer (95% CI 2% to 57%)",
        "на 35% меньше (95% ДИ: от 2% до 57%)",
    ),
    (
        Estimate(-0.17, -0.40, -0.05),
        False,
        "17% more (95% CI 5% to 40%)",
        "на 17% больше (95% ДИ: от 5% до 40%)",
    ),
    # What a funder used to read as "Reduction −17% (−292% to 65%)".
    (
        Estimate(-0.17, -2.92, 0.65),
        False,
        "No clear difference: 17% more (95% CI 292% more to 65% fewer)",
        "Явной разницы нет: на 17% больше (95% ДИ: от 292% больше до 65% меньше)",
    ),
    (
        Estimate(0.25, -0.1507, 0.5112),
        True,
        "No clear difference: 25% less (95% CI 15% more to 51% less)",
        "Явной разницы нет: на 25% меньше (95% ДИ: от 15% больше до 51% меньше)",
    ),
    (Estimate(0.35), False, "35% fewer", "на 35% меньше"),
    (Estimate(0.0), False, "No difference", "Разницы нет"),
    (None, False, "—", "—"),
]


@pytest.mark.parametrize(("estimate", "amount", "english", "russian"), CASES)
def test_a_reduction_reads_in_words_in_both_languages(estimate, amount, english, russian):
    with translation.override("en"):
        assert display.reduction(estimate, amount=amount) == english
    with translation.override("ru"):
        assert display.reduction(estimate, amount=amount) == russian


def test_a_russian_interval_follows_the_russian_number_format():
    with translation.override("ru"):
        assert display.reduction(Estimate(0.35, 0.0219, 12.5)) == (
            "на 35% меньше (95% ДИ: от 2% до 1\xa0250%)"
        )
        assert display.points_interval(-68, -48) == "от \u221268 до \u221248"


def _injured(rows):
    return next(row for row in rows if row.code == "injured")


def test_the_womens_table_has_the_paired_interval_of_each_change(org_a, mirabal_cohort):
    injured = _injured(figures.paired_table(org_a.organisation, figures.Filters()))
    # 2 injured at both waves, 59 at baseline only, none at exit only, 39 at neither.
    assert (injured.change, injured.change_low, injured.change_high) == (-59, -68, -48)
    very_safe = next(
        row
        for row in figures.paired_table(org_a.organisation, figures.Filters())
        if row.code == "very_safe"
    )
    assert very_safe.change_low < very_safe.change < very_safe.change_high


def test_the_dashboard_and_its_downloads_show_the_interval(client_for, org_a, mirabal_cohort):
    client = client_for(org_a.manager, reauthenticated=True)
    page = client.get(reverse("outcomes:index")).content.decode()
    injured = page.split('data-measure="injured"')[1].split("</tr>")[0]
    assert ">\u221268 to \u221248<" in injured
    russian = client.get(reverse("outcomes:index"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "от \u221268 до \u221248" in russian.split('data-measure="injured"')[1]
    assert ">95% ДИ<" in russian and "парный интервал Ньюкомба" in russian

    text = client.get(reverse("outcomes:export", args=["csv"])).content.decode("utf-8-sig")
    lines = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert lines["Measure"][5:] == ["95% CI, from (points)", "95% CI, to (points)"]
    assert lines["Physically injured"][4:] == ["-59", "-68", "-48"]
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("outcomes:export", args=["xlsx"])).content)
    )
    values = {row[0]: row for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert values["Physically injured"][4:] == (-59, -68, -48)
    pdf = client.get(reverse("outcomes:export", args=["pdf"]), {"lang": "ru"}).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "95% ДИ, от (п. п.)" in text and "-68" in text


def test_the_evidence_report_shows_the_womens_interval_everywhere(
    client_for, org_a, mirabal_cohort, tmp_path
):
    with translation.override("en"):
        report = evidence_figures.build(org_a.organisation, months=12)
        women = next(t for t in evidence_exports.tables(report) if t.key == "women")
        assert women.header[-1] == "95% confidence interval (points)"
        injured = next(row for row in women.rows if row[0] == "Physically injured")
        assert injured[1:] == ["100", "61%", "2%", "\u221259", "\u221268 to \u221248"]
        rows = list(csv.reader(io.StringIO(evidence_exports.to_csv(report).decode("utf-8-sig"))))
        assert injured in rows
        workbook = openpyxl.load_workbook(io.BytesIO(evidence_exports.to_xlsx(report)))
        cells = [
            [cell for cell in row if cell is not None]
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
        assert injured in cells
    page = client_for(org_a.manager).get(reverse("evidence:report")).content.decode()
    assert "\u221268 to \u221248" in page.split('data-testid="table-women"')[1]

    out = io.StringIO()
    call_command("evidence_report", organisation=org_a.organisation.slug, stdout=out)
    assert "\t".join(injured) in out.getvalue()
    out = io.StringIO()
    call_command("evidence_report", organisation=org_a.organisation.slug, language="ru", stdout=out)
    assert "от \u221268 до \u221248" in out.getvalue()
    pdf = tmp_path / "report.pdf"
    call_command(
        "evidence_report", organisation=org_a.organisation.slug, format="pdf", output=str(pdf)
    )
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "68 to" in text and "48" in text
