"""Importing survey responses collected on paper: checked row by row, all or nothing.

Format (docs/import-surveys.md): one row per response, with the columns ``survey``, ``wave``,
``case_reference`` (the man's case), ``answered_on``, for a partner survey ``partner_surname``
and ``partner_given_name`` (which of his partners answered), then one column per question code.
Partner surveys are imported by partner support workers only, men's surveys by managers: the
wall holds for imports too.
"""

from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dvpp.models import Organisation, User
from dvpp.search import normalise
from participants.importing import RowError, _parse_date, check_columns, read_table
from participants.models import Participant
from partners.models import Partner

from . import services
from .models import Instrument, Wave

BASE_COLUMNS = ["survey", "wave", "case_reference", "answered_on"]
PARTNER_COLUMNS = ["partner_surname", "partner_given_name"]


@dataclass
class SurveyImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False

    def summary(self) -> str:
        count = ngettext("%(count)d response", "%(count)d responses", self.rows) % {
            "count": self.rows
        }
        if self.imported:
            return _("Imported: %(count)s.") % {"count": count}
        return _("Checked, nothing changed: %(count)s ready to import.") % {"count": count}


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
    if size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            }
        )
    header, rows = read_table(name, content)
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
    report = SurveyImportReport()
    planned = []
    seen = set()
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue
        report.rows += 1
        errors_before = len(report.errors)

        def fail(column, message, number=number):
            report.errors.append(RowError(number, column, str(message)))

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
            answered_on = _parse_date(row.get("answered_on", ""))
        except ValueError:
            fail(
                "answered_on",
                _("“%(value)s” is not a date (use 1980-12-31 or 31.12.1980).")
                % {"value": row.get("answered_on", "")},
            )
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
    # back on a dry run or on the first refused row.
    try:
        with transaction.atomic():
            for number, params in planned:
                try:
                    services.response_record(**params)
                except ValidationError as error:
                    for column, messages in error.message_dict.items():
                        for message in messages:
                            report.errors.append(RowError(number, column, message))
            if report.errors or dry_run:
                raise _RollBack
    except _RollBack:
        report.errors.sort(key=lambda error: error.row)
        return report
    report.imported = True
    return report


class _RollBack(Exception):
    pass
