"""Subject-access packages: everything held about one person, as a ZIP of a readable summary
(``summary.html``) and the same data for machines (``data.json``).

What goes into a package is decided by the app that holds the person: the man's in
``participants.subject_access``, a partner's in ``partners.subject_access`` (behind the wall).
The apps above add what they hold about the same person through
``dvpp.hooks.subject_access_sections`` (his places in groups, consents, incidents, surveys), and
the owner puts every section in its package's order (:func:`in_order`). This module only lays
out what they give it, so the two packages look alike and neither can reach the other's data.

The pages that make a package, log a request and erase a record are one set for both people
(``consent.subject_pages``); what differs, the app that holds the person says in a
:class:`DataSubject` (``participants.data_subject.MAN``, ``partners.data_subject.PARTNER``).
"""

import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

FORMAT = "dvpp-subject-access/1"


@dataclass(frozen=True)
class DataSubject:
    """Whose data the subject-access and erasure pages are about, as the app that holds the
    person describes them: a man (his case, for managers) or a partner (her record, behind the
    wall, for partner support workers only)."""

    namespace: str  # the URL namespace of the pages, and of the person's own page ("detail")
    area: str  # the dvpp.access.Area of who may open them
    find: Callable[[Any, Any], Any]  # (user, public_id) -> the person, or 404 / 403
    context_name: str  # the person's name in the templates, and their field on SubjectRequest
    templates: tuple[str, str]  # the subject-access page, the erasure page
    package: Callable[[Any], bytes]
    package_name: Callable[[Any], str]  # in the file's name: a reference or an id, never a name
    erase: Callable[[Any, Any], dict]  # (person, by) -> counts removed, or ValidationError
    erasure_refusal: Callable[[Any], str | None]
    erasure_code: Callable[[Any], str]  # what the worker types to confirm an erasure
    erased_message: Callable[[Any], str]
    audit_reads: bool  # every page read is audited (her record), not only what is done (his)


class Value(NamedTuple):
    """A value with two faces: ``data`` for data.json (a code, an ISO date), ``text`` for
    people (a label in the reader's language)."""

    data: Any
    text: str


def choice(obj: models.Model, name: str) -> Value:
    """A choice field: its stored code for machines, its label for people."""
    code = getattr(obj, name)
    return Value(code, str(getattr(obj, f"get_{name}_display")()) if code else "")


def as_text(value: Any) -> str:
    """How the summary shows a value: dates in the active language, yes/no, a dash for none."""
    if isinstance(value, Value):
        return value.text or "—"
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) for item in value)
    return str(value)


def as_data(value: Any) -> Any:
    if isinstance(value, Value):
        return value.data
    if isinstance(value, list | tuple):
        return [as_data(item) for item in value]
    return value


@dataclass
class Section:
    """One kind of record: a stable key for data.json, a heading and column labels for people.

    ``single`` is a section about one record (the person themselves): a definition list in the
    summary and an object, not a list, in data.json."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    single: bool = False

    def data(self) -> dict | list[dict]:
        rows = [{key: as_data(row.get(key)) for key, _label in self.columns} for row in self.rows]
        if self.single:
            return rows[0] if rows else {}
        return rows

    def table(self) -> list[list[str]]:
        return [[as_text(row.get(key)) for key, _label in self.columns] for row in self.rows]

    def pairs(self) -> list[tuple[str, str]]:
        row = self.rows[0] if self.rows else {}
        return [(label, as_text(row.get(key))) for key, label in self.columns]


def in_order(sections: Iterable[Section], order: Sequence[str]) -> list[Section]:
    """The sections in the package's order of keys (``order``, its owner's), whichever app gave
    them. A section whose key the order does not name comes last, so nothing is ever lost."""
    rank = {key: position for position, key in enumerate(order)}
    return sorted(sections, key=lambda section: rank.get(section.key, len(rank)))


def columns(model: type[models.Model], *names: str) -> list[tuple[str, str]]:
    """Columns named after model fields, labelled with the fields' (translated) names."""
    return [(name, capfirst(model._meta.get_field(name).verbose_name)) for name in names]


def audit_section(
    *, object_type: str, object_id: str, leave_out_roles: Iterable[str] = ()
) -> Section:
    """The audit events about one record: when, what was done. The log holds ids only, and
    staff are not named here. ``leave_out_roles``: events by staff of these roles are left
    out (a man must not learn when partner support looked at his case)."""
    from .models import AuditEvent

    events = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        # The role the user had then (recorded on the event), and their role now, both count.
        .exclude(role__in=list(leave_out_roles))
        .exclude(user__role__in=list(leave_out_roles))
        .order_by("at", "pk")
    )
    return Section(
        "audit_events",
        _("Who used this record: the audit log"),
        columns(AuditEvent, "at", "action", "what"),
        [{"at": e.at, "action": choice(e, "action"), "what": e.what} for e in events],
    )


def package(
    *,
    subject: str,
    title: str,
    organisation: str,
    sections: Iterable[Section],
    notes: Iterable[str] = (),
) -> bytes:
    """The ZIP, built in memory: summary.html (self-contained, every value escaped, in the
    active language) and data.json (stable keys, ISO dates)."""
    sections = list(sections)
    now = timezone.now()
    data = {
        "format": FORMAT,
        "subject": subject,
        "organisation": organisation,
        "generated_at": now,
        "language": translation.get_language(),
        **{section.key: section.data() for section in sections},
    }
    summary = render_to_string(
        "dvpp/subject_access_summary.html",
        {
            "title": title,
            "organisation": organisation,
            "generated_at": now,
            "sections": sections,
            "notes": list(notes),
            "language": translation.get_language(),
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", summary)
        archive.writestr(
            "data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n",
        )
    return buffer.getvalue()


def package_response(content: bytes, *, name: str) -> HttpResponse:
    """A download that no cache keeps. ``name`` is a case reference or an opaque id, never a
    person's name."""
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{name}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
