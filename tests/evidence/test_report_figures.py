"""The "Did it work?" figures on cohorts of the published shapes: the figures, their intervals
(worked out by hand from the formulas in evidence/stats.py's docstring), and the same strings in
the export and the command."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from evidence import exports, figures
from evidence.models import ComparisonCohort
from tests.evidence.shapes import published_shapes


@pytest.fixture
def shapes(org_a):
    return published_shapes(org_a.organisation, org_a.facilitator)


def table(report, key):
    return next(t for t in exports.tables(report) if t.key == key)


def test_the_programme_group_re_offends_35_percent_less_and_does_25_percent_less_harm(
    org_a, shapes
):
    report = figures.build(org_a.organisation, months=12)
    completers, non_completers, starters, comparison = report.groups
    assert (completers.n, non_completers.n, starters.n, comparison.n) == (80, 20, 100, 100)
    assert (starters.reoffended, starters.incidents, starters.total_harm) == (26, 39, 3000)
    assert (comparison.reoffended, comparison.incidents, comparison.total_harm) == (40, 60, 4000)
    by_measure = {r.measure: r.estimate for r in report.reductions if r.group == starters.label}
    prevalence, frequency, harm = (by_measure[m] for m in ("prevalence", "frequency", "harm"))
    assert prevalence.value == pytest.approx(0.35)
    # Risk ratio 0.65, log SE sqrt(1/26 - 1/100 + 1/40 - 1/100) = 0.2085.
    assert (prevalence.low, prevalence.high) == pytest.approx((0.0219, 0.5680), abs=1e-4)
    # Incidents per man 0.39 against 0.60; they cluster in a few men (per-man SDs 0.71 and
    # 0.80), so the ratio of means by the delta method, not a Poisson rate.
    assert frequency.value == pytest.approx(0.35)
    assert (frequency.low, frequency.high) == pytest.approx((-0.0120, 0.5825), abs=1e-4)
    # Mean harm 30 against 40 days; SDs 54.12 and 49.24; the interval crosses no change.
    assert harm.value == pytest.approx(0.25)
    assert (harm.low, harm.high) == pytest.approx((-0.1507, 0.5112), abs=1e-4)


def test_the_report_the_export_and_the_command_show_the_same_figures(org_a, shapes, tmp_path):
    report = figures.build(org_a.organisation, months=12)
    reductions = table(report, "reduction").rows
    starters = [row for row in reductions if row[0] == "All who started"]
    # Read in words; an interval that spans no change says so before the figure.
    assert [row[1:3] for row in starters] == [
        ["Men with at least one incident", "35% fewer (95% CI 2% to 57%)"],
        ["Incidents per man", "No clear difference: 35% fewer (95% CI 1% more to 58% fewer)"],
        ["Harm per man", "No clear difference: 25% less (95% CI 15% more to 51% less)"],
    ]
    groups = {row[0]: row for row in table(report, "reoffending").rows}
    assert groups["All who started"][1:] == ["100", "26%", "18% to 35%", "0.39", "30.0", "3,000.0"]
    assert groups["Assessed suitable, did not start"][1:4] == ["100", "40%", "31% to 50%"]
    change = table(report, "change").rows
    assert change[0] == [
        "Completers showing both the capacity and the motivation to change",
        "20",
        "90%",
        "70% to 97%",
    ]
    violence_group_work = change[1]
    assert violence_group_work[1:] == ["18", "83%", "61% to 94%"]

    rows = list(csv.reader(io.StringIO(exports.to_csv(report).decode("utf-8-sig"))))
    prevalence = [
        "All who started",
        "Men with at least one incident",
        "35% fewer (95% CI 2% to 57%)",
    ]
    assert [*prevalence, ""] in rows
    assert change[0] in rows

    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report)))
    cells = [
        [cell for cell in row if cell is not None]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert [
        "All who started",
        "Harm per man",
        "No clear difference: 25% less (95% CI 15% more to 51% less)",
    ] in cells
    assert change[0] in cells

    out = io.StringIO()
    call_command("evidence_report", organisation="org-a", months=12, stdout=out)
    printed = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [*prevalence, ""] in printed
    assert change[0] in printed

    pdf = tmp_path / "report.pdf"
    call_command(
        "evidence_report", organisation="org-a", format="pdf", output=str(pdf), language="ru"
    )
    assert pdf.read_bytes().startswith(b"%PDF")


def test_in_russian_the_figures_follow_the_language(org_a, shapes):
    with translation.override("ru"):
        report = figures.build(org_a.organisation, months=12)
        groups = {row[0]: row for row in table(report, "reoffending").rows}
    started = next(row for label, row in groups.items() if label.startswith("Все"))
    assert started[4:] == ["0,39", "30,0", "3\xa0000,0"]


def test_only_men_whose_whole_window_has_passed_count(org_a, shapes):
    # Six months: the same men; 24 months: nobody has been followed that long yet.
    assert figures.build(org_a.organisation, months=6).groups[2].n == 100
    longest = figures.build(org_a.organisation, months=24)
    assert all(group.suppressed for group in longest.groups)
    assert all(reduction.estimate is None for reduction in longest.reductions)


def test_a_group_under_the_minimum_is_hidden_with_everything_drawn_from_it(org_a, shapes):
    org_a.organisation.min_cell_size = 21
    org_a.organisation.save()
    report = figures.build(org_a.organisation, months=12)
    completers, non_completers, starters, comparison = report.groups
    # 20 non-completers are under 21: hidden, and completers with them (else 100 - 80 = 20).
    assert non_completers.suppressed and completers.suppressed
    assert not starters.suppressed and not comparison.suppressed
    rows = {row[0]: row for row in table(report, "reoffending").rows}
    assert rows["Completers"][1:] == ["fewer than 21"] + ["—"] * 5
    assert "20" not in rows["Non-completers"] and "80" not in rows["Completers"]
    hidden = [r for r in report.reductions if r.group == "Completers"]
    assert hidden and all(r.suppressed and r.estimate is None for r in hidden)
    # 20 assessed completers are under 21 as well: the change figures are hidden too.
    assert all(share.suppressed for share in report.change)
    assert "90%" not in exports.to_text(report)


def test_a_comparison_group_given_as_counts_is_used_with_its_own_window(org_a, shapes):
    cohort = ComparisonCohort.objects.create(
        organisation=org_a.organisation,
        name="Police cohort 2024",
        source="Constabulary",
        window_months=12,
        men=200,
        men_with_incident=80,
        incidents=120,
        total_harm=Decimal(8000),
    )
    report = figures.build(org_a.organisation, months=24, comparison=str(cohort.pk))
    assert report.months == 12 and report.comparison_label == "Police cohort 2024"
    prevalence, _frequency, harm = (r for r in report.reductions if r.group == "All who started")
    assert prevalence.estimate.value == pytest.approx(0.35)
    # Given as counts without a spread: a harm reduction with no interval, and a note saying so.
    assert harm.estimate.value == pytest.approx(0.25) and harm.estimate.low is None
    assert harm.note
    assert "not randomised" in exports.to_text(report)


def test_another_organisations_comparison_group_cannot_be_used(org_a, org_b, shapes):
    cohort = ComparisonCohort.objects.create(
        organisation=org_b.organisation,
        name="Theirs",
        source="Police",
        men=10,
        men_with_incident=1,
        incidents=1,
        total_harm=1,
    )
    with pytest.raises(ComparisonCohort.DoesNotExist):
        figures.build(org_a.organisation, comparison=str(cohort.pk))


def test_the_demo_report_has_figures_to_show_in_both_organisations(db, settings):
    from dvpp.models import Organisation
    from evidence.models import Incident

    settings.DEBUG = True
    call_command("seed_demo")
    for slug in ("demo", "demo-ru"):
        report = figures.build(Organisation.objects.get(slug=slug))
        assert not any(group.suppressed for group in report.groups)
        assert not report.change[0].suppressed
        cohort = ComparisonCohort.objects.get(organisation__slug=slug)
        against_police = figures.build(cohort.organisation, comparison=str(cohort.pk))
        # Given as counts with the spread of harm: intervals for re-offending and harm; incidents
        # per man without one (their spread per man is not given), and a note saying so.
        for r in against_police.reductions:
            assert r.estimate is not None
            assert (r.estimate.low is None) == (r.measure == "frequency"), r
            assert bool(r.note) == (r.measure == "frequency")
    incidents = Incident.objects.count()
    call_command("seed_demo")
    assert Incident.objects.count() == incidents


def test_what_she_reported_is_not_in_the_figures_so_no_subtraction_gives_it_away(org_a, shapes):
    from evidence.models import Incident, IncidentCategory

    before = figures.build(org_a.organisation, months=12).groups
    Incident.objects.create(
        organisation=org_a.organisation,
        participant=shapes["completers"][50],
        occurred_on=shapes["start"] + datetime.timedelta(days=60),
        known_via=Incident.KnownVia.PARTNER_SUPPORT,
        category=IncidentCategory.objects.get(organisation=org_a.organisation, code="stalking"),
    )
    after = figures.build(org_a.organisation, months=12).groups
    assert [(g.n, g.reoffended, g.incidents, g.total_harm) for g in after] == [
        (g.n, g.reoffended, g.incidents, g.total_harm) for g in before
    ]
