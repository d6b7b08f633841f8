"""Before/after outcome tables a funder or a court would trust, from the service's own data."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from outcomes import figures, services
from outcomes.models import Instrument, Response
from participants.models import Status
from partners.models import Partner
from tests.factories import ParticipantFactory
from tests.outcomes.conftest import TODAY, partner_answers


def _rows(org):
    return {row.code: row for row in figures.paired_table(org.organisation, figures.Filters())}


def test_the_table_reproduces_the_published_figures(org_a, mirabal_cohort):
    rows = _rows(org_a)
    assert (rows["injured"].n, rows["injured"].before, rows["injured"].after) == (100, 61, 2)
    assert (rows["very_safe"].before, rows["very_safe"].after) == (8, 51)
    assert rows["very_safe"].change == 43


def test_the_dashboard_shows_the_figures(client_for, org_a, mirabal_cohort):
    content = client_for(org_a.manager).get(reverse("outcomes:index")).content.decode()
    table = content.split('data-testid="paired-table"')[1].split("</table>")[0]
    injured = table.split('data-measure="injured"')[1].split("</tr>")[0]
    assert ">100<" in injured and ">61%<" in injured and ">2%<" in injured
    safe = table.split('data-measure="very_safe"')[1].split("</tr>")[0]
    assert ">8%<" in safe and ">51%<" in safe


def test_the_csv_and_xlsx_exports_carry_the_same_figures(client_for, org_a, mirabal_cohort):
    client = client_for(org_a.manager, reauthenticated=True)
    text = client.get(reverse("outcomes:export", args=["csv"])).content.decode("utf-8-sig")
    lines = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert lines["Physically injured"][1:4] == ["100", "61", "2"]
    assert lines["Feels very safe"][2:4] == ["8", "51"]
    response = client.get(reverse("outcomes:export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert values["Physically injured"][1:4] == (100, 61, 2)
    assert values["Feels very safe"][2:4] == (8, 51)


def test_the_pdf_report_in_russian(client_for, org_a, mirabal_cohort):
    from pypdf import PdfReader

    response = client_for(org_a.manager, reauthenticated=True).get(
        reverse("outcomes:export", args=["pdf"]), {"lang": "ru"}
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Получала физические травмы" in text
    assert "61" in text and "100" in text


def test_the_command_prints_the_same_table(org_a, mirabal_cohort, capsys):
    call_command("outcome_table", "--organisation", org_a.organisation.slug, "--format", "json")
    rows = {row["code"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["injured"]["before"], rows["injured"]["after"], rows["injured"]["n"]) == (
        61,
        2,
        100,
    )


def test_a_row_about_too_few_people_is_suppressed_everywhere(client_for, org_a, mirabal_cohort):
    Response.objects.filter(wave="exit").exclude(partner__in=mirabal_cohort[:4]).delete()
    rows = _rows(org_a)
    assert rows["injured"].suppressed and rows["injured"].before is None
    client = client_for(org_a.manager, reauthenticated=True)
    content = client.get(reverse("outcomes:index")).content.decode()
    assert "fewer than 5 people" in content
    text = client.get(reverse("outcomes:export", args=["csv"])).content.decode("utf-8-sig")
    assert "fewer than the minimum" in text and ",4," not in text


def test_filters_by_group_and_period(org_a, mirabal_cohort):
    later = figures.Filters(period_from=TODAY + datetime.timedelta(days=1))
    assert all(row.suppressed for row in figures.paired_table(org_a.organisation, later))
    recent = figures.Filters(period_from=TODAY - datetime.timedelta(days=30))
    assert figures.paired_table(org_a.organisation, recent)[0].n == 100
    nobody = figures.Filters(group_id=999999)
    assert figures.paired_table(org_a.organisation, nobody)[0].suppressed


def test_a_filter_that_leaves_out_fewer_than_five_people_is_suppressed(org_a, mirabal_cohort):
    """Subtracting two published figures must not single anyone out."""
    Response.objects.filter(partner=mirabal_cohort[0], wave="exit").update(
        answered_on=TODAY - datetime.timedelta(days=200)
    )
    recent = figures.Filters(period_from=TODAY - datetime.timedelta(days=30))
    row = figures.paired_table(org_a.organisation, recent)[0]
    assert row.suppressed and row.n is None  # 99 of 100: one woman left out


def test_dashboard_query_count_does_not_grow_with_responses(
    client_for, org_a, survey, django_assert_max_num_queries
):
    client = client_for(org_a.manager)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("outcomes:index"))
        return len(queries)

    _make_pairs(org_a, survey, 3)
    few = count_queries()
    _make_pairs(org_a, survey, 12)
    assert count_queries() == few
    with django_assert_max_num_queries(40):
        client.get(reverse("outcomes:index"))


def _make_pairs(org_a, survey, count):
    for _ in range(count):
        man = ParticipantFactory(organisation=org_a.organisation, status=Status.COMPLETED)
        woman = Partner.objects.create(
            organisation=org_a.organisation,
            participant=man,
            last_name="X",
            first_name="Y",
            relationship="partner",
        )
        for wave in ("baseline", "exit"):
            services.response_record(
                instrument=survey,
                wave=wave,
                participant=man,
                partner=woman,
                answered_on=TODAY,
                by=None,
                answers=partner_answers(injured=True, feels="fairly"),
            )


@pytest.fixture
def woman(org_a):
    man = ParticipantFactory(organisation=org_a.organisation, status=Status.IN_PROGRAMME)
    return Partner.objects.create(
        organisation=org_a.organisation,
        participant=man,
        last_name="Z",
        first_name="Q",
        relationship="partner",
    )


def _record(survey, woman, **changes):
    params = {
        "instrument": survey,
        "wave": "baseline",
        "participant": woman.participant,
        "partner": woman,
        "answered_on": TODAY,
        "by": None,
        "answers": partner_answers(injured=False, feels="fairly"),
        **changes,
    }
    return services.response_record(**params)


def test_an_answer_outside_the_choices_is_refused(survey, woman):
    answers = {**partner_answers(injured=False, feels="fairly"), "feels_safe": "ecstatic"}
    with pytest.raises(ValidationError, match="not one of the answers"):
        _record(survey, woman, answers=answers)
    assert not Response.objects.exists()


def test_a_wave_he_has_not_reached_is_refused(survey, woman):
    with pytest.raises(ValidationError, match="not reached"):
        _record(survey, woman, wave="exit")
    assert not Response.objects.exists()


def test_a_second_baseline_is_refused(survey, woman):
    _record(survey, woman)
    with pytest.raises(ValidationError, match="already has"):
        _record(survey, woman, answered_on=TODAY - datetime.timedelta(days=1))
    assert Response.objects.count() == 1


def test_a_second_version_keeps_old_answers_and_still_pairs(org_a, survey, woman):
    _record(survey, woman)
    survey.is_current = False
    survey.save()
    v2 = Instrument.objects.create(
        organisation=org_a.organisation,
        code=survey.code,
        version=2,
        subject="partner",
        name_en="v2",
    )
    with pytest.raises(ValidationError, match="already has"):
        _record(v2, woman)  # same survey, same wave: still one baseline
    assert Response.objects.get().instrument == survey


def test_partner_surveys_are_entered_by_partner_support_only(client_for, org_a, woman):
    url = reverse("outcomes:partner_survey", args=[woman.public_id, "partner-safety"])
    assert client_for(org_a.facilitator).get(url).status_code == 403
    assert client_for(org_a.manager).get(url).status_code == 403
    client = client_for(org_a.partner_support)
    assert client.get(url).status_code == 200
    data = {
        "wave": "baseline",
        "answered_on": TODAY.isoformat(),
        **{f"q_{k}": v for k, v in partner_answers(injured=True, feels="not_at_all").items()},
    }
    response = client.post(url, data, follow=True)
    assert "Survey response recorded." in response.content.decode()
    assert Response.objects.get().answers.get(question_code="injured").value == "yes"


def test_the_survey_form_is_in_her_language(client_for, org_a, woman):
    woman.language = "ru"
    woman.save()
    content = (
        client_for(org_a.partner_support)
        .get(reverse("outcomes:partner_survey", args=[woman.public_id, "partner-safety"]))
        .content.decode()
    )
    assert "Насколько безопасно вы себя чувствуете?" in content


def test_a_bad_survey_form_saves_nothing(client_for, org_a, woman):
    url = reverse("outcomes:partner_survey", args=[woman.public_id, "partner-safety"])
    response = client_for(org_a.partner_support).post(
        url,
        {
            "wave": "exit",
            "answered_on": TODAY.isoformat(),
            **{f"q_{k}": v for k, v in partner_answers(injured=True, feels="very").items()},
        },
    )
    assert "has not reached" in response.content.decode()
    assert not Response.objects.exists()


def test_men_answer_their_own_survey_through_their_case(client_for, org_a, woman):
    url = reverse("outcomes:man_survey", args=[woman.participant.public_id, "men-self-report"])
    response = client_for(org_a.facilitator).post(
        url,
        {
            "wave": "baseline",
            "answered_on": TODAY.isoformat(),
            "q_violence": "few",
            "q_controlling": "often",
            "q_responsibility": "2",
            "q_children_impact": "no",
        },
        follow=True,
    )
    assert "Survey response recorded." in response.content.decode()
    assert Response.objects.get().partner is None


def test_exports_neutralise_formulas(org_a):
    from outcomes.exports import safe_cell

    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("Police") == "Police"


def test_the_command_writes_csv_and_hides_suppressed_counts(org_a, survey, capsys):
    _make_pairs(org_a, survey, 3)
    call_command("outcome_table", "--organisation", org_a.organisation.slug)
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Measure,n,")
    assert "fewer than the minimum" in out
    call_command("outcome_table", "--organisation", org_a.organisation.slug, "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert all(row["n"] is None and "counts" not in row for row in rows)


def test_the_command_refuses_a_bad_date(org_a):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command(
            "outcome_table", "--organisation", org_a.organisation.slug, "--from", "31.13.2026"
        )


def test_the_nightly_snapshot_is_built_once_and_records_its_source(org_a, mirabal_cohort):
    snapshot, created = services.snapshot_build(organisation=org_a.organisation)
    assert created and snapshot.responses == 200 and len(snapshot.source_hash) == 64
    injured = next(
        r for r in snapshot.figures["paired"]["partner-safety:exit"] if r["code"] == "injured"
    )
    assert (injured["before"], injured["after"]) == (61, 2)
    again, created = services.snapshot_build(organisation=org_a.organisation)
    assert not created and again.pk == snapshot.pk
    from outcomes.models import Answer, OutcomeSnapshot

    Answer.objects.filter(question_code="injured", value="yes").first().delete()
    later, _ = services.snapshot_build(
        organisation=org_a.organisation, on=TODAY + datetime.timedelta(days=1)
    )
    assert later.source_hash != snapshot.source_hash
    assert OutcomeSnapshot.objects.count() == 2


SURVEY_CSV = (
    "survey,wave,case_reference,answered_on,partner_surname,partner_given_name,injured,"
    "feels_safe,physical,sexual,threats,weapon,controlling,harassment,children_exposure,"
    "space_for_action\n"
    "partner-safety,baseline,{ref},01.03.2026,{surname},{given},да,not_very,often,never,few,"
    "no,often,once,once,3\n"
)


def _upload(client, text, dry_run=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile("s.csv", text.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("outcomes:import_partner_surveys"), data).content.decode()


def test_partner_surveys_import_after_a_dry_run(client_for, org_a, woman):
    text = SURVEY_CSV.format(
        ref=woman.participant.reference, surname=woman.last_name, given=woman.first_name
    ).replace("да", "yes")
    client = client_for(org_a.partner_support)
    assert "Checked, nothing changed: 1 response" in _upload(client, text, dry_run=True)
    assert not Response.objects.exists()
    assert "Imported: 1 response" in _upload(client, text)
    assert Response.objects.get().answers.get(question_code="physical").value == "often"


def test_a_survey_file_with_bad_rows_imports_nothing(client_for, org_a, woman):
    good = SURVEY_CSV.format(
        ref=woman.participant.reference, surname=woman.last_name, given=woman.first_name
    ).replace("да", "yes")
    bad_lines = (
        good
        + good.splitlines()[1].replace("not_very", "ecstatic").replace("baseline", "exit")
        + "\n"
        + good.splitlines()[1].replace(woman.participant.reference, "99999")
        + "\n"
    )
    content = _upload(client_for(org_a.partner_support), bad_lines)
    assert "problems found: nothing was imported" in content
    assert "No case with this reference." in content
    assert not Response.objects.exists()


def test_men_cannot_be_imported_through_the_partner_import_and_vice_versa(client_for, org_a):
    assert (
        client_for(org_a.manager).get(reverse("outcomes:import_partner_surveys")).status_code == 403
    )
    assert (
        client_for(org_a.partner_support).get(reverse("outcomes:import_men_surveys")).status_code
        == 403
    )
    assert client_for(org_a.manager).get(reverse("outcomes:import_men_surveys")).status_code == 200


def test_the_documented_example_survey_file_has_the_right_columns(org_a):
    from pathlib import Path

    from dvpp.imports import check_columns, read_table

    path = Path(__file__).resolve().parents[2] / "docs" / "examples" / "partner-surveys.csv"
    with path.open("rb") as content:
        header, rows = read_table(path.name, content)
    survey = Instrument.objects.get(organisation=org_a.organisation, code="partner-safety")
    codes = [q.code for q in survey.questions.all()]
    check_columns(
        header,
        required=[
            "survey",
            "wave",
            "case_reference",
            "answered_on",
            "partner_surname",
            "partner_given_name",
        ],
        known=[
            "survey",
            "wave",
            "case_reference",
            "answered_on",
            "partner_surname",
            "partner_given_name",
            *codes,
        ],
    )
    assert len(rows) == 2
