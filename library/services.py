"""Publishing a programme as a package, importing a package as a copy, and the package file.

Every write here is whole or nothing: a refused publication leaves no package, a refused import
leaves no programme, no week, no handout file and no survey behind. Each is audited here, in its
transaction, by whoever published or imported it and from where (a page, a command).
"""

import io
import json
import os
import uuid
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from coalition.models import Coalition
from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Organisation, User
from outcomes.models import Instrument, Measure, Question
from sessions.handouts import check_handout
from sessions.models import Handout, Programme, Theme

from . import manifest as manifests
from .access import current_memberships
from .models import ImportedFrom, Package, PackageFile
from .screening import Screen

PACKAGE_JSON = "package.json"
# A package file unpacks to its handouts (already compressed, mostly) and a JSON description:
# more than this many times its size, unpacked, is a "ZIP bomb".
MAX_UNPACKED_RATIO = 20
MAX_ENTRIES = 1000


# --- publishing ----------------------------------------------------------------------------


def _theme_label(name: str) -> str:
    return str(Theme._meta.get_field(name).verbose_name)


def _texts(
    programme: Programme, themes: list[Theme], instruments: list[Instrument], notes: dict
) -> list[tuple[str, str]]:
    """(where, text) for every text that would travel. ``where`` is made of week numbers and
    field labels only, never of the text itself."""
    texts = [
        (_("the programme's name (English)"), programme.name_en),
        (_("the programme's name (Russian)"), programme.name_ru),
        (_("the change note (English)"), notes["en"]),
        (_("the change note (Russian)"), notes["ru"]),
    ]
    for theme in themes:
        for name in manifests.THEME_FIELDS:
            value = getattr(theme, name)
            if isinstance(value, str):
                where = _("week %(number)s, %(field)s") % {
                    "number": theme.number,
                    "field": _theme_label(name),
                }
                texts.append((where, value))
        for position, handout in enumerate(theme.handouts.all(), start=1):
            for name, label in (
                ("title_en", _("title (English)")),
                ("title_ru", _("title (Russian)")),
            ):
                where = _("week %(number)s, handout %(position)s, %(field)s") % {
                    "number": theme.number,
                    "position": position,
                    "field": label,
                }
                texts.append((where, getattr(handout, name)))
    for position, instrument in enumerate(instruments, start=1):
        where = _("survey %(position)s of those chosen") % {"position": position}
        parts = [instrument.code, instrument.name_en, instrument.name_ru]
        for question in instrument.questions.all():
            parts += [question.text_en, question.text_ru]
            if question.kind == Question.Kind.CHOICE:
                parts += [str(label) for option in question.options for label in option[1:]]
        for measure in instrument.measures.all():
            parts += [measure.label_en, measure.label_ru]
        texts += [(where, part) for part in parts]
    return texts


def _refusal(findings) -> ValidationError:
    return ValidationError(
        [
            _(
                "Not published: %(where)s holds %(kind)s. A package must carry nothing about a "
                "case: remove it, then publish again."
            )
            % {"where": finding.where, "kind": finding.kind}
            for finding in findings
        ],
        code="case_specific",
    )


def _read_handouts(themes: list[Theme]) -> dict[int, tuple[str, bytes]]:
    files = {}
    for theme in themes:
        for position, handout in enumerate(theme.handouts.all(), start=1):
            try:
                with handout.file.open("rb") as stored:
                    content = stored.read()
            except (OSError, ValueError):
                raise ValidationError(
                    _(
                        "Not published: the file of handout %(position)s of week %(number)s is "
                        "missing. Upload it again on the week's page in the admin site."
                    )
                    % {"position": position, "number": theme.number},
                    code="missing_file",
                ) from None
            path = manifests.handout_path(theme.number, position, handout.file.name)
            files[handout.pk] = (path, content)
    return files


def _text_files(themes: list[Theme], files: dict[int, tuple[str, bytes]]) -> list[tuple[str, str]]:
    texts = []
    for theme in themes:
        for position, handout in enumerate(theme.handouts.all(), start=1):
            path, content = files[handout.pk]
            if path.lower().endswith(".txt"):
                where = _("week %(number)s, handout %(position)s, its text") % {
                    "number": theme.number,
                    "position": position,
                }
                texts.append((where, content.decode("utf-8-sig", errors="replace")))
    return texts


@transaction.atomic
def package_publish(
    *,
    organisation: Organisation,
    by: User,
    coalition: Coalition,
    programme: Programme,
    instruments: list[Instrument],
    change_note_en: str = "",
    change_note_ru: str = "",
) -> Package:
    """Publish a programme to a coalition as the next version of its package.

    Refused when the organisation is not a current member of the coalition, when the programme
    or a survey is not the organisation's, when the programme lacks a week, and when any text
    that would travel holds case-specific text (see :mod:`library.screening`). The package is a
    snapshot: handout files are copied into it, and later edits change only the next version.
    """
    if not current_memberships(organisation.pk).filter(coalition=coalition).exists():
        raise ValidationError(
            {
                "coalition": _(
                    "Your organisation is not a current member of this coalition, so it cannot "
                    "publish there."
                )
            },
            code="not_member",
        )
    # One publication of a programme at a time: the version numbers follow each other.
    programme = (
        Programme.objects.select_for_update().filter(organisation=organisation, pk=programme.pk)
    ).first()
    if programme is None:
        raise ValidationError({"programme": _("Choose one of your organisation's programmes.")})
    themes = list(programme.themes.prefetch_related("handouts").order_by("number"))
    if len(themes) != programme.session_count:
        raise ValidationError(
            {
                "programme": _(
                    "The programme has %(themes)s weeks for %(sessions)s sessions: add the missing "
                    "weeks before publishing it, or no one could run a group on it."
                )
                % {"themes": len(themes), "sessions": programme.session_count}
            },
            code="incomplete",
        )
    if any(instrument.organisation_id != organisation.pk for instrument in instruments):
        raise ValidationError({"instruments": _("Choose your organisation's own surveys.")})
    instruments = list(
        Instrument.objects.filter(pk__in=[i.pk for i in instruments])
        .order_by("code", "-version")
        .prefetch_related(
            Prefetch("questions", Question.objects.order_by("number")),
            Prefetch("measures", Measure.objects.order_by("position", "pk")),
        )
    )
    if len({i.code for i in instruments}) != len(instruments):
        raise ValidationError(
            {"instruments": _("Choose one version of each survey: an importer gets one.")}
        )
    notes = {"en": change_note_en.strip(), "ru": change_note_ru.strip()}
    screen = Screen(organisation)
    findings = screen.check(_texts(programme, themes, instruments, notes))
    if findings:
        raise _refusal(findings)
    files = _read_handouts(themes)
    findings = screen.check(_text_files(themes, files))
    if findings:
        raise _refusal(findings)

    previous = Package.objects.filter(programme=programme).order_by("-version").first()
    key = previous.key if previous else uuid.uuid4()
    version = (Package.objects.filter(key=key).aggregate(v=Max("version"))["v"] or 0) + 1
    manifest = manifests.build(
        key=str(key),
        version=version,
        programme=programme,
        themes=themes,
        handout_files=files,
        instruments=instruments,
        change_note_en=notes["en"],
        change_note_ru=notes["ru"],
    )
    try:
        with transaction.atomic():
            package = Package.objects.create(
                coalition=coalition,
                organisation=organisation,
                programme=programme,
                key=key,
                version=version,
                schema=manifests.SCHEMA,
                name_en=programme.name_en,
                name_ru=programme.name_ru,
                manifest=manifest,
                checksum=manifests.checksum(manifest),
                change_note_en=notes["en"],
                change_note_ru=notes["ru"],
                published_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("Someone published this programme at the same moment: look at the library.")
        ) from None
    PackageFile.objects.bulk_create(
        PackageFile(
            package=package,
            path=path,
            sha256=manifests.sha256(content),
            size=len(content),
            content=content,
        )
        for path, content in files.values()
    )
    audit_change(AuditEvent.Action.CREATE, package, by=by, what=f"published v{package.version}")
    return package


# --- importing -----------------------------------------------------------------------------


def _invalid(where: str, error: ValidationError) -> ValidationError:
    return ValidationError(
        _("The package cannot be imported: %(where)s is not valid (%(problem)s).")
        % {"where": where, "problem": " ".join(error.messages)},
        code="invalid",
    )


def _checked(instance, where: str, exclude: list[str]):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise _invalid(where, error) from None
    return instance


def _check_files(manifest: dict, files: dict[str, bytes]) -> None:
    for theme in manifest["themes"]:
        for handout in theme["handouts"]:
            title = handout["title_en"] or handout["title_ru"]
            content = files.get(handout["path"])
            if content is None:
                raise ValidationError(
                    _(
                        "The package is incomplete: the file of the handout “%(title)s” of week "
                        "%(number)s is missing. Nothing was imported."
                    )
                    % {"title": title, "number": theme["number"]},
                    code="missing_file",
                )
            if manifests.sha256(content) != handout["sha256"]:
                raise ValidationError(
                    _(
                        "The file of the handout “%(title)s” of week %(number)s was altered after "
                        "the package was made (its checksum does not match). Nothing was "
                        "imported: ask the publisher for a fresh copy."
                    )
                    % {"title": title, "number": theme["number"]},
                    code="file_checksum",
                )
            try:
                check_handout(handout["path"], content)
            except ValidationError as error:
                raise _invalid(
                    _("the handout “%(title)s” of week %(number)s")
                    % {"title": title, "number": theme["number"]},
                    error,
                ) from None


def _already(organisation: Organisation, key: str, version: int) -> ValidationError:
    existing = (
        ImportedFrom.objects.filter(organisation=organisation, key=key, version=version)
        .select_related("programme")
        .first()
    )
    name = existing.programme.name if existing else ""
    return ValidationError(
        _(
            "Your organisation has already imported version %(version)s of this package, as "
            "“%(name)s”. It was not imported again."
        )
        % {"version": version, "name": name},
        code="already_imported",
    )


def _next_instrument(organisation: Organisation, row: dict) -> Instrument:
    """The survey as the next version of the organisation's own survey with that code (or its
    first): the new version is the one in use from now on, and answers already given keep
    pointing at the version they answered."""
    existing = Instrument.objects.filter(organisation=organisation, code=row["code"])
    # Locked, so that two imports at once cannot both take the same next version.
    versions = list(existing.select_for_update().values_list("version", flat=True))
    version = max(versions, default=0) + 1
    where = _("the survey “%(code)s”") % {"code": row["code"]}
    instrument = _checked(
        Instrument(
            organisation=organisation,
            version=version,
            **{f: row[f] for f in manifests.INSTRUMENT_FIELDS},
        ),
        where,
        exclude=[],
    )
    existing.filter(is_current=True).update(is_current=False)
    instrument.save()
    for question in row["questions"]:
        _checked(
            Question(instrument=instrument, **{f: question[f] for f in manifests.QUESTION_FIELDS}),
            where,
            exclude=["instrument"],
        ).save()
    for measure in row["measures"]:
        _checked(
            Measure(instrument=instrument, **{f: measure[f] for f in manifests.MEASURE_FIELDS}),
            where,
            exclude=["instrument"],
        ).save()
    return instrument


def _copy(
    *,
    organisation: Organisation,
    by: User,
    manifest: dict,
    files: dict[str, bytes],
    source: str,
    package: Package | None,
) -> Programme:
    """Make the organisation's own copy of a package: a new programme, its weeks, handouts and
    surveys. Checked whole first; any refusal leaves nothing, handout files included."""
    manifests.check(manifest)
    key, version = manifest["key"], manifest["version"]
    try:
        key = uuid.UUID(key)
    except ValueError:
        raise ValidationError(
            _("The package is damaged and cannot be imported: %(problem)s.")
            % {"problem": _("its key is not valid")},
            code="damaged",
        ) from None
    if len(manifest["themes"]) != manifest["programme"]["session_count"]:
        raise ValidationError(
            _("The package is damaged and cannot be imported: %(problem)s.")
            % {"problem": _("it does not have one week for each session")},
            code="damaged",
        )
    _check_files(manifest, files)
    if ImportedFrom.objects.filter(organisation=organisation, key=key, version=version).exists():
        raise _already(organisation, key, version)

    saved: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            programme = _checked(
                Programme(
                    organisation=organisation,
                    **{f: manifest["programme"][f] for f in manifests.PROGRAMME_FIELDS},
                ),
                _("the programme"),
                exclude=[],
            )
            programme.save()
            try:
                with transaction.atomic():
                    ImportedFrom.objects.create(
                        organisation=organisation,
                        programme=programme,
                        key=key,
                        version=version,
                        checksum=manifests.checksum(manifest),
                        manifest=manifest,
                        source=source,
                        package=package,
                        imported_by=by,
                    )
            except IntegrityError:
                raise _already(organisation, key, version) from None
            for row in sorted(manifest["themes"], key=lambda t: t["number"]):
                where = _("week %(number)s") % {"number": row["number"]}
                theme = _checked(
                    Theme(programme=programme, **{f: row[f] for f in manifests.THEME_FIELDS}),
                    where,
                    exclude=["programme"],
                )
                theme.save()
                for handout_row in row["handouts"]:
                    handout = _checked(
                        Handout(
                            theme=theme,
                            title_en=handout_row["title_en"],
                            title_ru=handout_row["title_ru"],
                        ),
                        where,
                        exclude=["theme", "file"],
                    )
                    name = os.path.basename(handout_row["path"])
                    try:
                        handout.file.save(name, ContentFile(files[handout_row["path"]]), save=False)
                    except SuspiciousFileOperation:
                        raise _invalid(where, ValidationError(_("a file name"))) from None
                    saved.append((handout.file.storage, handout.file.name))
                    handout.save()
            for row in manifest["instruments"]:
                _next_instrument(organisation, row)
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise
    return programme


@transaction.atomic
def package_import(*, organisation: Organisation, by: User, package: Package) -> Programme:
    """Import a package of the organisation's coalition as the organisation's own copy.

    Refused when the organisation is not a current member of the package's coalition, when the
    organisation already imported this version, and when the stored package does not match its
    checksums. An older copy is never touched: groups running on it go on as they were.
    """
    if not current_memberships(organisation.pk).filter(coalition=package.coalition_id).exists():
        raise ValidationError(
            _("Your organisation is not a current member of this package's coalition."),
            code="not_member",
        )
    if manifests.checksum(package.manifest) != package.checksum:
        raise ValidationError(
            _("This package was altered after it was published (its checksum does not match)."),
            code="checksum",
        )
    files = {f.path: bytes(f.content) for f in package.files.all()}
    programme = _copy(
        organisation=organisation,
        by=by,
        manifest=package.manifest,
        files=files,
        source=ImportedFrom.Source.LIBRARY,
        package=package,
    )
    audit_change(
        AuditEvent.Action.CREATE, programme, by=by, what=f"imported package v{package.version}"
    )
    return programme


# --- the package file ----------------------------------------------------------------------


def package_file_build(package: Package) -> bytes:
    """The package as one ZIP file: ``package.json`` (format, schema, manifest, checksum) and
    the handout files at the paths the manifest lists with their SHA-256."""
    description = {
        "format": manifests.FORMAT,
        "schema": package.schema,
        "manifest": package.manifest,
        "checksum": package.checksum,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            PACKAGE_JSON, json.dumps(description, ensure_ascii=False, indent=1, sort_keys=True)
        )
        for stored in package.files.order_by("path"):
            archive.writestr(stored.path, bytes(stored.content))
    return buffer.getvalue()


def _not_a_package() -> ValidationError:
    return ValidationError(
        _(
            "This is not a programme package file: choose a .zip file made with “Download the "
            "package file”."
        ),
        code="not_a_package",
    )


def package_file_read(data: bytes) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the handout files of a package file, or a clear refusal: too large,
    not a ZIP, not a package, made for a newer (incompatible) version, damaged, or altered
    since it was made (its checksum)."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": f"{limit / (1024 * 1024):g}"},
            code="too_large",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_package() from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > (
            MAX_UNPACKED_RATIO * max(len(data), 1)
        ):
            raise ValidationError(
                _("This file unpacks to far more than its size: it cannot be read safely."),
                code="zip_bomb",
            )
        names = {entry.filename for entry in entries}
        if PACKAGE_JSON not in names:
            raise _not_a_package()
        try:
            description = json.loads(archive.read(PACKAGE_JSON).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError, zipfile.BadZipFile, OSError):
            raise ValidationError(
                _("The package is damaged and cannot be imported: %(problem)s.")
                % {"problem": _("its description cannot be read")},
                code="damaged",
            ) from None
        if not isinstance(description, dict) or description.get("format") != manifests.FORMAT:
            raise _not_a_package()
        schema = description.get("schema")
        if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
            raise ValidationError(
                _("The package is damaged and cannot be imported: %(problem)s.")
                % {"problem": _("its format version is missing")},
                code="damaged",
            )
        if schema > manifests.SCHEMA:
            raise ValidationError(
                _(
                    "This package was made for an incompatible version of the system (package "
                    "format %(schema)s; this installation reads format %(supported)s and older). "
                    "Nothing was imported: update this installation, or ask for the package "
                    "from an installation of the same version."
                )
                % {"schema": schema, "supported": manifests.SCHEMA},
                code="incompatible",
            )
        manifest = description.get("manifest")
        if not isinstance(manifest, dict) or manifests.checksum(manifest) != description.get(
            "checksum"
        ):
            raise ValidationError(
                _(
                    "The package file was altered after it was made: its checksum does not "
                    "match. Nothing was imported: ask the publisher for a fresh copy."
                ),
                code="checksum",
            )
        manifests.check(manifest)
        wanted = {h["path"] for t in manifest["themes"] for h in t["handouts"]}
        try:
            files = {name: archive.read(name) for name in wanted & names}
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ValidationError(
                _("The package is damaged and cannot be imported: %(problem)s.")
                % {"problem": _("a handout file cannot be read")},
                code="damaged",
            ) from None
    return manifest, files


@transaction.atomic
def package_file_import(*, organisation: Organisation, by: User, data: bytes) -> Programme:
    """Import a package file (from this installation or another) as the organisation's own
    copy, with no coalition. All of it or nothing; the same version twice makes one copy."""
    manifest, files = package_file_read(data)
    programme = _copy(
        organisation=organisation,
        by=by,
        manifest=manifest,
        files=files,
        source=ImportedFrom.Source.FILE,
        package=None,
    )
    audit_change(AuditEvent.Action.CREATE, programme, by=by, what="imported package file")
    return programme
