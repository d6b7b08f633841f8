"""Importing survey responses collected on paper: checked row by row, all or nothing.

Format (docs/import-surveys.md): one row per response, with the columns ``survey``, ``wave``,
``case_reference`` (the man's case), ``answered_on``, for a partner survey ``partner_surname``
and ``partner_given_name`` (which of his partners answered), then one column per question code.
Partner surveys are imported by partner support workers only, men's surveys by managers: the
wall holds for imports too.
"""

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dvpp.audit import audit_event
from dvpp.imports import ImportReport, all_or_nothing, check_columns, open_table
from dvpp.models import AuditEvent, Organisation, User
from dvpp.parsing import parse_date
from dvpp.search import normalise
from participants.models import Participant
from partners.models import Partner

from . import services
from .models import Instrument, Wave

BASE_COLUMNS = ["survey", "wave", "case_reference", "answered_on"]
PARTNER_COLUMNS = ["partner_surname", "partner_given_name"]


@dataclass
class SurveyImportReport(ImportReport):
    def wording(self) -> tuple[str, str, dict[str, str]]:
        return (
            _("Imported: %(count)s."),
            _("Checked, nothing changed: %(count)s ready to import."),
            {
                "count": ngettext("%(count)d response", "%(count)d responses", self.rows)
                % {"count": self.rows}
            },
        )


def import_surveys(
    *,
    organisation: Organisation,
    by: User | None,
    subject: str,
    name: str,
    content: IO[bytes],
    size: int,
    dry_run: bool,
) -> SurveyImportReport:
    header, rows = open_table(name, content, size)
    instruments = {
        i.code: i
        for i in Instrument.objects.filter(
            organisation=organisation, subject=subject, is_current=True
        ).prefetch_related("questions")
    }
    question_codes = {q.code for i in instruments.values() for q in i.questions.all()}
    extra = PARTNER_COLUMNS if subject == "partner" else []
    check_columns(
        header, required=BASE_COLUMNS + extra, known=BASE_COLUMNS + extra + sorted(question_codes)
    )
    men = {p.reference: p for p in Participant.objects.filter(organisation=organisation)}
    report = SurveyImportReport(dry_run=dry_run)
    planned = []
    seen = set()
    for number, row in report.numbered(rows):
        errors_before = len(report.errors)

        def fail(column, message, number=number):
            report.fail(number, column, message)

        instrument = instruments.get(str(row.get("survey", "")))
        if instrument is None:
            fail(
                "survey",
                _("“%(code)s” is not a survey you can import here.")
                % {"code": row.get("survey", "")},
            )
        wave = str(row.get("wave", ""))
        if wave not in Wave.values:
            fail("wave", _("Write one of: %(waves)s.") % {"waves": ", ".join(Wave.values)})
        man = men.get(str(row.get("case_reference", "")).zfill(5))
        if man is None:
            fail("case_reference", _("No case with this reference."))
        try:
            answered_on = parse_date(row.get("answered_on", ""))
        except ValueError as error:
            fail("answered_on", error)
            answered_on = None
        partner = None
        if subject == "partner" and man is not None:
            matches = [
                p
                for p in Partner.objects.filter(participant=man)
                if normalise(p.last_name) == normalise(str(row.get("partner_surname", "")))
                and normalise(p.first_name) == normalise(str(row.get("partner_given_name", "")))
            ]
            if len(matches) != 1:
                fail("partner_surname", _("No single partner of this man has this name."))
            else:
                partner = matches[0]
        if len(report.errors) > errors_before:
            continue
        key = (instrument.code, wave, partner.pk if partner else man.pk)
        if key in seen:
            fail("wave", _("The file holds this response twice."))
            continue
        seen.add(key)
        answers = {code: row.get(code, "") for code in question_codes}
        planned.append(
            (
                number,
                {
                    "instrument": instrument,
                    "wave": wave,
                    "participant": man,
                    "partner": partner,
                    "answered_on": answered_on,
                    "answers": answers,
                    "by": by,
                },
            )
        )

    # Every row is checked by the same rules as the form, inside one transaction that is rolled
    # back on a dry run or when any row is refused (with the file's audit row).
    def write() -> None:
        for number, params in planned:
            try:
                services.response_save(**params)
            except ValidationError as error:
                report.refuse(number, error)
        if not report.errors:
            # One event for the whole file, by ``by``, from the page or the command that ran the
            # import (the file's name may carry a name, so not that).
            audit_event(
                None,
                AuditEvent.Action.CREATE,
                "outcomes.response",
                "import",
                what=f"import: {report.rows} survey responses ({subject})",
                user=by,
                organisation_id=organisation.pk,
            )

    return all_or_nothing(report, write)
