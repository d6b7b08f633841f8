"""Checks on a handout file before it is kept: size, then type by name *and* content.

A handout is a PDF, a Word or OpenDocument text, a plain text file or a picture (PNG, JPEG).
It is refused when it is larger than ``IMPORT_MAX_BYTES``, when its name ends otherwise, or when
its content is not what the name says (a program renamed ``.pdf``): the same rule as the
spreadsheet imports (``dvpp/uploads.py``). Files arriving in a programme package are checked
here again, so a package cannot bring in what the upload form would refuse.
"""

import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Extension → the type a browser is told when the file is downloaded.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
HANDOUT_HELP = gettext_lazy("A PDF, Word (.docx), OpenDocument (.odt), text, PNG or JPEG file.")
# A document compresses well, but not a thousandfold: more than this, unpacked, is a "ZIP bomb".
MAX_UNPACKED_RATIO = 100
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def _zip_parts(data: bytes) -> dict[str, bytes] | None:
    """The small parts of an office document that say what it is, or None if not a ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(item.file_size for item in archive.infolist())
            if unpacked > MAX_UNPACKED_RATIO * max(len(data), 1):
                raise ValidationError(
                    _("This document unpacks to far more than its size: it cannot be kept safely."),
                    code="zip_bomb",
                )
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return {"names": names, "mimetype": mimetype}  # type: ignore[dict-item]


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(ext: str, data: bytes) -> bool:
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if ext == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in {".jpg", ".jpeg"}:
        return data.startswith(b"\xff\xd8\xff")
    if ext == ".txt":
        return _is_text(data)
    parts = _zip_parts(data)
    if parts is None:
        return False
    if ext == ".docx":
        return {"[Content_Types].xml", "word/document.xml"} <= parts["names"]
    if ext == ".odt":
        return parts["mimetype"].strip() == ODT_MIMETYPE
    return False


def _check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": f"{limit / (1024 * 1024):g}"},
            code="too_large",
        )


def check_handout(name: str, data: bytes) -> None:
    """Refuse a handout that is too large or is not the kind of file its name says."""
    _check_size(len(data))
    ext = extension(name)
    if ext not in CONTENT_TYPES:
        raise ValidationError(
            _("Upload a PDF, Word (.docx), OpenDocument (.odt), text, PNG or JPEG file."),
            code="extension",
        )
    if not _content_matches(ext, data):
        raise ValidationError(
            _("This file is not a %(kind)s file, whatever its name says.")
            % {"kind": ext.lstrip(".").upper()},
            code="content",
        )


def validate_handout_file(value) -> None:
    """The model field's validator: checks a newly uploaded file (one already kept was checked
    when it came in)."""
    if getattr(value, "_committed", False):
        return
    _check_size(getattr(value, "size", 0) or 0)
    value.seek(0)
    data = value.read()
    value.seek(0)
    check_handout(value.name, data)
