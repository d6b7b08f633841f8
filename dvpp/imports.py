"""The one spreadsheet importer that every import is built on: its upload form and page side,
the reader of CSV and XLSX files, and the check-then-import report, all or nothing.

Each import keeps its own rules (``<app>/importing.py``: its columns, how a row becomes a
record, what counts as already held) and audits what it imported; the report is drawn by
``dvpp/_import_report.html``. The way through is always the same: refuse a file too large or
with unknown columns whole (:func:`open_table`, :func:`check_columns`); check every row,
numbered as the file numbers it, into an :class:`ImportReport`; save nothing unless every row
is good and this is not a check only (:func:`all_or_nothing`).
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import add_service_errors
from .uploads import validate_spreadsheet_upload

# --- the page ------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        validators=[validate_spreadsheet_upload],
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only: report what would be imported and change nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext_lazy(
            "At most %(size)s MB. The columns are described in the import guide."
        ) % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}


def run_import(request: HttpRequest, importer: Callable[..., Any], **options) -> tuple:
    """(form, report): the report is None until a valid file was sent; a file the importer
    refuses whole (too large, unknown columns) is an error on the form."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if not (request.method == "POST" and form.is_valid()):
        return form, None
    upload = form.cleaned_data["file"]
    try:
        report = importer(
            organisation=request.user.organisation,
            by=request.user,
            name=upload.name,
            content=upload,
            size=upload.size,
            dry_run=form.cleaned_data["dry_run"],
            **options,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None
    return form, report


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: Any  # translated lazily: shown on the import page


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What checking (and perhaps importing) a file found: its rows, and every problem by row
    and column. An import adds its own counts and the ``wording()`` of its summary."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True  # a check only: nothing is saved
    imported: bool = False

    def summary(self) -> str:
        """One line under the form: what was imported, or, on a check, what would be."""
        imported, checked, counts = self.wording()
        return (imported if self.imported else checked) % counts

    def wording(self) -> tuple[str, str, dict[str, str]]:
        """The import's own two sentences (after an import, after a check only) and the
        counts they are filled with."""
        raise NotImplementedError

    def numbered(self, rows: list[dict[str, Any] | None]) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row that is not blank, with its number in the file (the header is row 1),
        counted in ``rows``."""
        for number, row in enumerate(rows, start=2):
            if row is None:
                continue
            self.rows += 1
            yield number, row

    def fail(self, row: int, column: str, message: Any) -> None:
        self.errors.append(RowError(row, column, str(message)))

    def refuse(
        self, row: int, error: ValidationError, columns: dict[str, str] | None = None
    ) -> None:
        """A row refused by a model's or a service's rules: each message under its column
        (``columns`` renames a field to the file's column; a whole-row message has none)."""
        for name, messages in error.message_dict.items():
            column = "" if name == "__all__" else (columns or {}).get(name, name)
            for message in messages:
                self.fail(row, column, message)


class _RollBack(Exception):
    pass


R = TypeVar("R", bound=ImportReport)


def all_or_nothing(report: R, write: Callable[[], None]) -> R:
    """Run ``write`` (which saves the checked rows, adding to the report any a service refuses)
    in one transaction, rolled back on a check only or when any row was refused: the rows are
    checked by the very rules that save them, and a file is imported whole or not at all."""
    try:
        with transaction.atomic():
            write()
            if report.errors or report.dry_run:
                raise _RollBack
    except _RollBack:
        report.errors.sort(key=lambda error: error.row)
        return report
    report.imported = True
    return report


# --- the file ------------------------------------------------------------------------------------


def open_table(
    name: str, content: IO[bytes], size: int
) -> tuple[list[str], list[dict[str, Any] | None]]:
    """The file's header and rows (:func:`read_table`), once it is known not to be too large."""
    if size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            }
        )
    return read_table(name, content)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    return value


def read_table(name: str, content: IO[bytes]) -> tuple[list[str], list[dict[str, Any] | None]]:
    """A CSV or XLSX file as its header (lower-cased) and its rows as dicts; a blank row is
    None, so that row numbers stay those of the file."""
    data = content.read()
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise ValidationError({"file": _("This file is not a valid XLSX workbook.")})
        table = _read_xlsx(data)
    elif lower.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    header = [str(_cell(title)).lower() for title in table[0]]
    rows: list[dict[str, Any] | None] = []
    for values in table[1:]:
        cells = [_cell(value) for value in values]
        if not any(cell != "" for cell in cells):
            rows.append(None)
            continue
        rows.append(dict(zip(header, cells, strict=False)))
    return header, rows


def check_columns(header: list[str], *, required: list[str], known: list[str]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise ValidationError(
            {
                "file": _("Columns missing from the first row: %(columns)s.")
                % {"columns": ", ".join(missing)}
            }
        )
    unknown = [title for title in header if title and title not in known]
    if unknown:
        raise ValidationError(
            {
                "file": _("Unknown columns in the first row: %(columns)s.")
                % {"columns": ", ".join(unknown)}
            }
        )


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The CSV file must be saved as UTF-8 text.")}) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(data: bytes) -> list[list[Any]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise ValidationError({"file": _("This file is not a valid XLSX workbook.")}) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
