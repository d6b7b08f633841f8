"""Importing incidents after referral from a police or probation spreadsheet: checked row by row,
all or nothing.

Format (docs/import-incidents.md, example in docs/examples/incidents.csv): one row per incident,
with the columns ``case_reference`` (the man's case in this organisation), ``occurred_on``,
``known_via``, ``category``, and optionally ``police_involved`` and ``outcome``.

* An incident learnt from his partner (``partner_support``) is never imported: partner support
  workers record it themselves, behind the wall.
* A case reference of another organisation is reported exactly like one that does not exist.
* A row the same as an incident he already has (same date, category and way it became known) is
  already recorded and skipped, so that importing the same file twice adds nothing. Rows are
  matched one to one: a file holding two such rows, against one recorded incident, adds one.
* A file imported is one audit event, with its count (never the file's name, which may carry a
  name), by whoever ran it: the member of staff on the import page, or the command.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dvpp.audit import audit_event
from dvpp.imports import Column, ImportReport, all_or_nothing, check_columns, open_table
from dvpp.models import AuditEvent, Organisation, User
from dvpp.parsing import parse_bool, parse_date
from dvpp.search import normalise
from participants.models import Participant

from . import services
from .models import Incident, IncidentCategory

COLUMNS = (
    Column("case_reference", True, gettext_lazy("The man's case reference")),
    Column("occurred_on", True, gettext_lazy("Date of the incident: 2026-03-31 or 31.03.2026")),
    Column("known_via", True, gettext_lazy("How it became known: police, probation or himself")),
    Column(
        "category",
        True,
        gettext_lazy("Code, English or Russian label of one of the organisation's categories"),
    ),
    Column("police_involved", False, gettext_lazy("yes / no (да / нет); no if empty")),
    Column("outcome", False, gettext_lazy("nfa, caution, charge, conviction or administrative")),
)
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]
# Learnt from her: recorded by partner support staff only, never arriving in a partner's file.
IMPORTABLE_KNOWN_VIA = [
    value for value in Incident.KnownVia.values if value != Incident.KnownVia.PARTNER_SUPPORT
]


@dataclass
class IncidentImportReport(ImportReport):
    incidents_new: int = 0
    incidents_existing: int = 0
    # File row numbers of the rows skipped as already recorded.
    existing_rows: list[int] = field(default_factory=list)

    def wording(self) -> tuple[str, str, dict[str, str]]:
        new, held = self.incidents_new, self.incidents_existing
        return (
            _("Imported: %(incidents)s; %(skipped)s."),
            _("Checked, nothing changed: %(incidents)s; %(skipped)s."),
            {
                "incidents": ngettext("%(count)d new incident", "%(count)d new incidents", new)
                % {"count": new},
                "skipped": ngettext(
                    "%(count)d incident already recorded",
                    "%(count)d incidents already recorded",
                    held,
                )
                % {"count": held},
            },
        )


@dataclass
class _Planned:
    row: int
    participant: Participant
    params: dict[str, Any]

    @property
    def key(self) -> tuple:
        return (
            self.participant.pk,
            self.params["occurred_on"],
            self.params["category"].pk,
            self.params["known_via"],
        )


def _reference(value: Any) -> str:
    """A case reference as the file holds it: a spreadsheet drops the leading zeros of 00042."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.zfill(5) if text.isdigit() else text


def _choices(choices: type[Incident.KnownVia] | type[Incident.Outcome]) -> dict[str, str]:
    """A choice's value and its English and Russian labels, normalised, to its value."""
    found = {normalise(value): value for value in choices.values}
    for language in ("en", "ru"):
        with translation.override(language):
            found.update({normalise(str(label)): value for value, label in choices.choices})
    return found


def _categories(organisation: Organisation) -> dict[str, list[IncidentCategory]]:
    """The organisation's categories by code and by label. A code names one category and wins
    over a label; a label may, rarely, be shared by two categories."""
    entries = list(IncidentCategory.objects.filter(organisation=organisation, is_archived=False))
    by_label: dict[str, list[IncidentCategory]] = {}
    for entry in entries:
        for label in {normalise(entry.label_en), normalise(entry.label_ru)} - {""}:
            by_label.setdefault(label, []).append(entry)
    return by_label | {normalise(entry.code): [entry] for entry in entries}


def import_incidents(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    content: IO[bytes],
    size: int,
    dry_run: bool,
) -> IncidentImportReport:
    """Check every row by the rules of ``incident_record``; save them all in one transaction only
    if every row is good and this is not a dry run. Rows he already has are skipped."""
    header, rows = open_table(name, content, size)
    check_columns(header, required=REQUIRED, known=COLUMN_NAMES)
    references = {_reference(row.get("case_reference", "")) for row in rows if row is not None}
    # Only this organisation's men: another organisation's case is "no case", like a made-up one.
    men = {
        man.reference: man
        for man in Participant.objects.filter(organisation=organisation, reference__in=references)
    }
    categories = _categories(organisation)
    known_via_of = _choices(Incident.KnownVia)
    outcome_of = _choices(Incident.Outcome)

    report = IncidentImportReport(dry_run=dry_run)
    planned: list[_Planned] = []
    for number, row in report.numbered(rows):
        errors_before = len(report.errors)

        def fail(column: str, message: Any, number: int = number) -> None:
            report.fail(number, column, message)

        for column in REQUIRED:
            if row.get(column, "") == "":
                fail(column, _("This column is required."))

        man = None
        if row.get("case_reference", "") != "":
            man = men.get(_reference(row["case_reference"]))
            if man is None:
                fail("case_reference", _("No case with this reference."))

        occurred_on = None
        if row.get("occurred_on", "") != "":
            try:
                occurred_on = parse_date(row["occurred_on"])
            except ValueError as error:
                fail("occurred_on", error)

        known_via = None
        if row.get("known_via", "") != "":
            known_via = known_via_of.get(normalise(str(row["known_via"])))
            if known_via == Incident.KnownVia.PARTNER_SUPPORT:
                fail(
                    "known_via",
                    _(
                        "An incident learnt from his partner is never imported: partner support "
                        "staff record it themselves."
                    ),
                )
            elif known_via is None:
                fail(
                    "known_via",
                    _("Write one of: %(choices)s.") % {"choices": ", ".join(IMPORTABLE_KNOWN_VIA)},
                )

        category = None
        if row.get("category", "") != "":
            matches = categories.get(normalise(str(row["category"])), [])
            if len(matches) == 1:
                category = matches[0]
            elif matches:
                fail(
                    "category",
                    _("“%(value)s” names more than one category: write its code.")
                    % {"value": row["category"]},
                )
            else:
                fail(
                    "category",
                    _("“%(value)s” is not one of this organisation's incident categories.")
                    % {"value": row["category"]},
                )

        try:
            police_involved = parse_bool(row.get("police_involved", ""))
        except ValueError as error:
            fail("police_involved", error)

        outcome = Incident.Outcome.UNKNOWN.value
        if row.get("outcome", "") != "":
            outcome = outcome_of.get(normalise(str(row["outcome"])))
            if outcome is None:
                fail(
                    "outcome",
                    _("Write one of: %(choices)s.")
                    % {"choices": ", ".join(Incident.Outcome.values)},
                )

        if len(report.errors) > errors_before:
            continue
        planned.append(
            _Planned(
                number,
                man,
                {
                    "participant": man,
                    "by": by,
                    "occurred_on": occurred_on,
                    "known_via": known_via,
                    "category": category,
                    "police_involved": police_involved,
                    "outcome": outcome,
                    "audit": False,  # the file is audited once, below
                },
            )
        )

    # Every row is checked by the same rules as the form, inside one transaction that is rolled
    # back on a dry run or when any row is refused. His rows are locked first, so that two
    # imports of the same file at once cannot both find an incident missing and both add it.
    def write() -> None:
        ids = sorted({item.participant.pk for item in planned})
        list(Participant.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        recorded = Counter(
            Incident.objects.filter(
                participant_id__in=ids, known_via__in=IMPORTABLE_KNOWN_VIA
            ).values_list("participant_id", "occurred_on", "category_id", "known_via")
        )
        for item in planned:
            if recorded[item.key] > 0:
                recorded[item.key] -= 1
                report.incidents_existing += 1
                report.existing_rows.append(item.row)
                continue
            try:
                services.incident_record(**item.params)
            except ValidationError as error:
                report.refuse(item.row, error)
            else:
                report.incidents_new += 1
        # Rolled back with the rows on a check only or a refused row: kept only when imported.
        audit_event(
            None,
            AuditEvent.Action.CREATE,
            "evidence.incident",
            "import",
            what=f"import: {report.incidents_new} incidents",
            user=by,
            organisation_id=organisation.pk,
        )

    return all_or_nothing(report, write)
