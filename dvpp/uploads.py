"""Checks on an uploaded spreadsheet before anything reads it: size, then type by name *and*
content.

Imports (referral history, survey responses) accept a CSV or an XLSX file. A file is refused,
with a message on the form, when it is larger than ``IMPORT_MAX_BYTES``, when its name does not
end in ``.csv`` or ``.xlsx``, or when its content is not what the name says: an XLSX workbook is
a ZIP archive holding ``[Content_Types].xml`` and ``xl/workbook.xml`` (and not one that unpacks
to far more than it weighs); a CSV file is UTF-8 text without NUL bytes (which no text file has
and every program file does).
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# An XLSX compresses well, but not a thousandfold: more than this, unpacked, is a "ZIP bomb".
MAX_UNPACKED_RATIO = 100


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)  # the importer reads it again from the start
    return data


def _check_xlsx(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names, unpacked = set(), 0
    finally:
        upload.seek(0)
    if not all(part in names for part in XLSX_PARTS):
        raise ValidationError(
            _("This file is not an Excel workbook (.xlsx), whatever its name says."),
            code="not_xlsx",
        )
    if unpacked > MAX_UNPACKED_RATIO * max(upload.size, 1):
        raise ValidationError(
            _("This workbook unpacks to far more than its size: it cannot be read safely."),
            code="zip_bomb",
        )


def _check_csv(upload: UploadedFile) -> None:
    data = _read(upload)
    if b"\x00" in data:
        raise ValidationError(
            _("This file is not a CSV text file, whatever its name says."), code="not_csv"
        )
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The CSV file must be saved as UTF-8 text."), code="not_utf8"
        ) from None


def validate_spreadsheet_upload(upload: UploadedFile) -> None:
    """Refuse an uploaded file that is too large or is not the CSV or XLSX it claims to be.

    Used by every import form, as a validator of its file field."""
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": _megabytes(limit)},
            code="too_large",
        )
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        _check_xlsx(upload)
    elif name.endswith(".csv"):
        _check_csv(upload)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="extension")
