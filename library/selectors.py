"""Reads the library's pages share: the packages of the user's coalitions (latest version of
each), the programmes the organisation imported with any newer version and what changed."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from coalition.models import Coalition
from dvpp.models import User
from sessions.models import Programme

from . import manifest as manifests
from .access import current_coalition_ids, current_memberships, packages_for_user
from .models import ImportedFrom, Package


def coalitions_for(user: User) -> QuerySet[Coalition]:
    return Coalition.objects.filter(pk__in=current_coalition_ids(user)).order_by("name")


def with_publisher(queryset: QuerySet[Package]) -> QuerySet[Package]:
    """Whether the publisher agreed to be named in the coalition (otherwise "a member
    organisation")."""
    named = current_memberships(OuterRef("organisation")).filter(
        coalition=OuterRef("coalition"), shown_by_name=True
    )
    return queryset.select_related("organisation", "coalition").annotate(
        publisher_named=Exists(named)
    )


def publisher(package: Package, user: User) -> str:
    if package.organisation_id == user.organisation_id:
        return _("your organisation")
    if getattr(package, "publisher_named", False):
        return package.organisation.name
    return _("a member organisation")


def _latest(queryset: QuerySet[Package]) -> QuerySet[Package]:
    newest = (
        Package.objects.filter(coalition=OuterRef("coalition"), key=OuterRef("key"))
        .order_by("-version")
        .values("version")[:1]
    )
    return queryset.filter(version=Subquery(newest))


@dataclass
class LibraryRow:
    package: Package
    publisher: str
    imported_version: int | None  # the newest version of it this organisation imported


def library(user: User) -> list[LibraryRow]:
    """The newest version of each package of the user's coalitions, newest first; the manifests
    are left unread (they can be large)."""
    coalition_ids = current_coalition_ids(user)
    packages = list(
        with_publisher(_latest(packages_for_user(user, coalition_ids)))
        .defer("manifest")
        .order_by("-published_at", "-pk")
    )
    imported: dict[str, int] = {}
    for key, version in ImportedFrom.objects.filter(
        organisation_id=user.organisation_id, key__in=[p.key for p in packages]
    ).values_list("key", "version"):
        imported[str(key)] = max(version, imported.get(str(key), 0))
    rows, seen = [], set()
    for package in packages:
        # One row a package, even if it was published to two of the user's coalitions.
        if package.key in seen:
            continue
        seen.add(package.key)
        rows.append(LibraryRow(package, publisher(package, user), imported.get(str(package.key))))
    return rows


@dataclass
class ImportedRow:
    imported: ImportedFrom
    newer: Package | None  # the newest version in the user's coalitions, if newer
    changes: manifests.Diff | None


def imported_programmes(user: User) -> list[ImportedRow]:
    """The organisation's imported programmes (the newest copy of each package), each with the
    newest version of its package in the user's coalitions when that is newer, and what
    changed since the copy."""
    copies = list(
        ImportedFrom.objects.filter(organisation_id=user.organisation_id)
        .select_related("programme")
        .order_by("key", "-version")
    )
    newest_copy: dict = {}
    for copy in copies:
        newest_copy.setdefault(copy.key, copy)
    newest: dict = {}
    for package in _latest(packages_for_user(user).filter(key__in=list(newest_copy))).order_by(
        "version"
    ):
        newest[package.key] = package
    rows = []
    for key, copy in newest_copy.items():
        package = newest.get(key)
        if package is not None and package.version > copy.version:
            rows.append(ImportedRow(copy, package, manifests.diff(copy.manifest, package.manifest)))
        else:
            rows.append(ImportedRow(copy, None, None))
    return sorted(rows, key=lambda row: row.imported.programme.name.casefold())


def versions(user: User, package: Package) -> list[Package]:
    """Every version of the package the user's coalitions hold, newest first."""
    return list(
        packages_for_user(user)
        .filter(key=package.key)
        .defer("manifest")
        .select_related("coalition")
        .order_by("-version")
    )


def newest_copy(user: User, package: Package) -> ImportedFrom | None:
    """The organisation's newest copy of this package, if it imported one."""
    return (
        ImportedFrom.objects.filter(organisation_id=user.organisation_id, key=package.key)
        .select_related("programme")
        .order_by("-version")
        .first()
    )


def imported_this(user: User, package: Package) -> bool:
    return ImportedFrom.objects.filter(
        organisation_id=user.organisation_id, key=package.key, version=package.version
    ).exists()


def manifest_of(package: Package) -> dict:
    """The manifest of a package read without it (lists defer it)."""
    return Package.objects.values_list("manifest", flat=True).get(pk=package.pk)


@dataclass
class HandoutView:
    title: str
    filename: str
    size: int


@dataclass
class ThemeView:
    number: int
    title: str
    description: str
    plan: str
    is_core: bool
    handouts: list[HandoutView]


@dataclass
class InstrumentView:
    code: str
    name: str
    subject: str
    questions: int
    measures: int


@dataclass
class Contents:
    rules: list[tuple[str, object]]  # (label, value) of the programme's length and rules
    themes: list[ThemeView]
    instruments: list[InstrumentView]
    has_russian: bool


def _in_language(row: dict, name: str) -> str:
    return manifests.bilingual(row.get(f"{name}_en", ""), row.get(f"{name}_ru", ""))


def contents(manifest: dict) -> Contents:
    """A package's weeks, handouts and surveys in the active language, for its page."""
    from outcomes.models import Subject

    themes = [
        ThemeView(
            number=theme["number"],
            title=_in_language(theme, "title"),
            description=_in_language(theme, "description"),
            plan=_in_language(theme, "plan"),
            is_core=theme["is_core"],
            handouts=[
                HandoutView(
                    _in_language(handout, "title"),
                    handout["path"].rsplit("/", 1)[-1],
                    handout["size"],
                )
                for handout in theme["handouts"]
            ],
        )
        for theme in sorted(manifest.get("themes", []), key=lambda t: t["number"])
    ]
    instruments = [
        InstrumentView(
            code=row["code"],
            name=_in_language(row, "name"),
            subject=str(dict(Subject.choices).get(row["subject"], row["subject"])),
            questions=len(row["questions"]),
            measures=len(row["measures"]),
        )
        for row in manifest.get("instruments", [])
    ]
    programme = manifest.get("programme", {})
    has_russian = bool(programme.get("name_ru")) and all(
        theme.get("title_ru") for theme in manifest.get("themes", [])
    )
    rules = [
        (manifests.label(Programme, name), manifests.shown(programme.get(name)))
        for name in manifests.PROGRAMME_FIELDS
        if name not in {"name_en", "name_ru"}
    ]
    return Contents(rules, themes, instruments, has_russian)
