"""Importing referral history from a spreadsheet (CSV or XLSX): checked row by row, all or nothing.

The format is described in docs/import-referrals.md, with an example file beside it.

Matching rule, so that importing the same file twice duplicates nothing:

* a **person** already known to the organisation is one with the same surname, given name and
  date of birth (case-blind, «ё» = «е»); his new referrals are added to his case;
* a **referral** already held is one for the same person with the same source and the same date
  received; it is skipped.
"""

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dvpp.audit import audit_event
from dvpp.imports import Column, ImportReport, check_columns, open_table
from dvpp.models import AuditEvent, Organisation, User
from dvpp.parsing import parse_bool, parse_date
from dvpp.search import normalise

from . import services
from .models import Language, Participant, Referral, ReferralSource

COLUMNS = (
    Column("last_name", True, gettext_lazy("Surname")),
    Column("first_name", True, gettext_lazy("Given name")),
    Column("patronymic", False, gettext_lazy("Patronymic")),
    Column("date_of_birth", True, gettext_lazy("Date of birth: 1980-12-31 or 31.12.1980")),
    Column("phone", False, gettext_lazy("Phone")),
    Column("email", False, gettext_lazy("E-mail")),
    Column(
        "preferred_language", False, gettext_lazy("en or ru; the organisation's language if empty")
    ),
    Column("source", True, gettext_lazy("Code of one of the organisation's referral sources")),
    Column("referrer_organisation", True, gettext_lazy("Referring organisation")),
    Column("referrer_name", False, gettext_lazy("Referrer's name")),
    Column("referrer_contact", False, gettext_lazy("Referrer's phone or e-mail")),
    Column("made_on", True, gettext_lazy("Date the referral was made")),
    Column("received_on", True, gettext_lazy("Date the referral was received")),
    Column("reason", True, gettext_lazy("Reason for referral")),
    Column("statutory", False, gettext_lazy("yes / no (да / нет); no if empty")),
    Column("order_start_on", False, gettext_lazy("Date the order starts")),
    Column("order_end_on", False, gettext_lazy("Date the order ends; needed when statutory")),
    Column("consent_to_share", False, gettext_lazy("yes / no (да / нет); no if empty")),
)
COLUMN_NAMES = [column.name for column in COLUMNS]
PERSON_FIELDS = ("last_name", "first_name", "patronymic", "date_of_birth", "phone", "email")
DATE_COLUMNS = ("date_of_birth", "made_on", "received_on", "order_start_on", "order_end_on")


@dataclass
class ReferralImportReport(ImportReport):
    people_new: int = 0
    people_existing: int = 0
    referrals_new: int = 0
    referrals_existing: int = 0

    def wording(self) -> tuple[str, str, dict[str, str]]:
        new, held = self.referrals_new, self.referrals_existing
        return (
            _("Imported: %(people)s, %(referrals)s; %(skipped)s."),
            _("Checked, nothing changed: %(people)s, %(referrals)s; %(skipped)s."),
            {
                "people": ngettext("%(count)d new person", "%(count)d new people", self.people_new)
                % {"count": self.people_new},
                "referrals": ngettext("%(count)d new referral", "%(count)d new referrals", new)
                % {"count": new},
                "skipped": ngettext(
                    "%(count)d referral already held", "%(count)d referrals already held", held
                )
                % {"count": held},
            },
        )


def read_rows(name: str, content: IO[bytes], size: int) -> list[dict[str, Any] | None]:
    """The rows of a referral file, its columns checked against COLUMNS."""
    header, rows = open_table(name, content, size)
    check_columns(header, required=[c.name for c in COLUMNS if c.required], known=COLUMN_NAMES)
    return rows


@dataclass
class _Planned:
    row: int
    person_key: tuple[str, str, datetime.date]
    participant_data: dict[str, Any]
    referral_data: dict[str, Any]
    existing: Participant | None


def _check_row(
    number: int,
    row: dict[str, Any],
    *,
    organisation: Organisation,
    sources: dict[str, ReferralSource],
    report: ReferralImportReport,
) -> _Planned | None:
    errors_before = len(report.errors)

    def fail(column: str, message: Any) -> None:
        report.fail(number, column, message)

    values: dict[str, Any] = {}
    for column in COLUMNS:
        value = row.get(column.name, "")
        if column.required and value == "":
            fail(column.name, _("This column is required."))
            continue
        if column.name in DATE_COLUMNS and value != "":
            try:
                value = parse_date(value)
            except ValueError as error:
                fail(column.name, error)
                continue
        elif column.name in DATE_COLUMNS:
            value = None
        values[column.name] = value
    for flag in ("statutory", "consent_to_share"):
        try:
            values[flag] = parse_bool(values.get(flag, ""))
        except ValueError as error:
            fail(flag, error)
    language = str(values.get("preferred_language") or organisation.default_language).lower()
    if language not in Language.values:
        fail("preferred_language", _("Write en or ru."))
    source = sources.get(str(values.get("source", "")).lower())
    if "source" in values and source is None:
        fail(
            "source",
            _("“%(code)s” is not one of this organisation's referral sources.")
            % {"code": values["source"]},
        )
    if len(report.errors) > errors_before:
        return None

    participant_data = {name: values[name] for name in PERSON_FIELDS}
    participant_data["date_of_birth"] = values["date_of_birth"]
    participant_data["preferred_language"] = language
    referral_data = {
        "source": source,
        "referrer_organisation": values["referrer_organisation"],
        "referrer_name": values.get("referrer_name", ""),
        "referrer_contact": values.get("referrer_contact", ""),
        "made_on": values["made_on"],
        "received_on": values["received_on"],
        "reason": values["reason"],
        "is_statutory": values["statutory"],
        "order_start_on": values.get("order_start_on"),
        "order_end_on": values.get("order_end_on"),
        "consent_to_share": values["consent_to_share"],
    }
    # The models' own rules (dates of birth, order dates, e-mail format, …), by column.
    for instance, exclude in (
        (Participant(organisation=organisation, **participant_data), ["reference", "search_text"]),
        (Referral(organisation=organisation, **referral_data), ["participant", "submission_key"]),
    ):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            report.refuse(number, error, columns={"is_statutory": "statutory"})
    if len(report.errors) > errors_before:
        return None
    existing = services.find_same_person(
        organisation=organisation,
        last_name=values["last_name"],
        first_name=values["first_name"],
        date_of_birth=values["date_of_birth"],
    )
    key = (normalise(values["last_name"]), normalise(values["first_name"]), values["date_of_birth"])
    return _Planned(number, key, participant_data, referral_data, existing)


def import_file(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    content: IO[bytes],
    size: int,
    dry_run: bool,
) -> ReferralImportReport:
    """Check every row; import them all in one transaction only if every row is good, with
    one audit row for the file (by ``by``, from the page or the command that ran it)."""
    rows = read_rows(name, content, size)
    sources = {
        source.code: source
        for source in ReferralSource.objects.filter(organisation=organisation, is_archived=False)
    }
    report = ReferralImportReport(dry_run=dry_run)
    planned: list[_Planned] = []
    for number, row in report.numbered(rows):
        checked = _check_row(number, row, organisation=organisation, sources=sources, report=report)
        if checked is not None:
            planned.append(checked)
    if report.errors:
        return report

    seen_people: set[tuple] = set()
    seen_referrals: set[tuple] = set()
    todo: list[_Planned] = []
    for item in planned:
        referral_key = (
            item.person_key,
            item.referral_data["source"].pk,
            item.referral_data["received_on"],
        )
        held = (
            item.existing is not None
            and Referral.objects.filter(
                participant=item.existing,
                source=item.referral_data["source"],
                received_on=item.referral_data["received_on"],
            ).exists()
        )
        if held or referral_key in seen_referrals:
            report.referrals_existing += 1
            continue
        seen_referrals.add(referral_key)
        if item.person_key not in seen_people:
            seen_people.add(item.person_key)
            if item.existing is None:
                report.people_new += 1
            else:
                report.people_existing += 1
        report.referrals_new += 1
        todo.append(item)
    if dry_run:
        return report

    with transaction.atomic():
        for item in todo:
            participant = item.existing or services.find_same_person(
                organisation=organisation,
                last_name=item.participant_data["last_name"],
                first_name=item.participant_data["first_name"],
                date_of_birth=item.participant_data["date_of_birth"],
            )
            if participant is None:
                services.case_open(
                    organisation=organisation,
                    by=by,
                    participant_data=item.participant_data,
                    referral_data=item.referral_data,
                )
            else:
                services.referral_append(participant=participant, by=by, data=item.referral_data)
        # One event for the whole file, from the page or the command that ran the import (the
        # file's name may carry a name, so not that).
        audit_event(
            None,
            AuditEvent.Action.CREATE,
            "participants.referral",
            "import",
            what=f"import: {report.people_new} new cases, {report.referrals_new} new referrals",
            user=by,
            organisation_id=organisation.pk,
        )
    report.imported = True
    return report
