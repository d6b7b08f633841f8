"""What a programme package holds, as plain data: building it, checking it, comparing two.

A manifest is JSON (both languages side by side)::

    {"key": "…uuid…", "version": 2,
     "programme": {"name_en": …, "name_ru": …, "session_count": 30, …the rules…},
     "themes": [{"number": 1, "title_en": …, "plan_ru": …, "is_core": true,
                 "handouts": [{"title_en": …, "path": "handouts/week-01/1-sheet.pdf",
                               "sha256": …, "size": …}]}, …],
     "instruments": [{"code": …, "subject": "partner", "name_en": …,
                      "questions": […], "measures": […]}, …],
     "change_note": {"en": …, "ru": …}}

Nothing in it names a person or an id of the publishing organisation's rows. Its checksum is
the SHA-256 of its canonical JSON (keys sorted, no spaces, UTF-8), so the same content has the
same checksum on any installation; handout files are covered by their own SHA-256 in it.
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dvpp.i18n import bilingual
from outcomes.models import Instrument, Question, Subject
from sessions.models import Programme, Theme

FORMAT = "dvpp-programme-package"
# The package format this installation writes and the newest it reads. Raise it when the
# manifest changes in a way an older installation would misread.
SCHEMA = 1

PROGRAMME_FIELDS = (
    "name_en",
    "name_ru",
    "session_count",
    "interval_days",
    "session_minutes",
    "absence_review_after",
    "completion_min_sessions",
    "complete_within_days",
    "missed_session_restarts",
    "report_outcome_to_referrer",
)
THEME_FIELDS = (
    "number",
    "title_en",
    "title_ru",
    "description_en",
    "description_ru",
    "plan_en",
    "plan_ru",
    "is_core",
)
HANDOUT_FIELDS = ("title_en", "title_ru", "path", "sha256", "size")
INSTRUMENT_FIELDS = ("code", "subject", "name_en", "name_ru")
QUESTION_FIELDS = ("number", "code", "kind", "text_en", "text_ru", "options", "required")
MEASURE_FIELDS = ("code", "label_en", "label_ru", "question_code", "values", "position")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(manifest: dict) -> bytes:
    return json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def checksum(manifest: dict) -> str:
    return sha256(canonical(manifest))


# --- building ------------------------------------------------------------------------------


def handout_path(number: int, position: int, filename: str) -> str:
    """Where a handout lives in a package: by week and position, with a safe file name."""
    name = get_valid_filename(os.path.basename(filename)) or "handout"
    return f"handouts/week-{number:02d}/{position}-{name}"


def build(
    *,
    key: str,
    version: int,
    programme: Programme,
    themes: list[Theme],
    handout_files: dict[int, tuple[str, bytes]],
    instruments: list[Instrument],
    change_note_en: str,
    change_note_ru: str,
) -> dict[str, Any]:
    """The manifest of a programme. ``handout_files`` maps a handout's id to (path, content);
    the manifest keeps the path, its SHA-256 and its size, never the id."""
    theme_rows = []
    for theme in themes:
        handouts = []
        for handout in theme.handouts.all():
            path, content = handout_files[handout.pk]
            handouts.append(
                {
                    "title_en": handout.title_en,
                    "title_ru": handout.title_ru,
                    "path": path,
                    "sha256": sha256(content),
                    "size": len(content),
                }
            )
        theme_rows.append({**{f: getattr(theme, f) for f in THEME_FIELDS}, "handouts": handouts})
    return {
        "key": str(key),
        "version": version,
        "programme": {f: getattr(programme, f) for f in PROGRAMME_FIELDS},
        "themes": theme_rows,
        "instruments": [
            {
                **{f: getattr(instrument, f) for f in INSTRUMENT_FIELDS},
                "questions": [
                    {f: getattr(q, f) for f in QUESTION_FIELDS} for q in instrument.questions.all()
                ],
                "measures": [
                    {f: getattr(m, f) for f in MEASURE_FIELDS} for m in instrument.measures.all()
                ],
            }
            for instrument in instruments
        ],
        "change_note": {"en": change_note_en, "ru": change_note_ru},
    }


# --- checking what arrives -----------------------------------------------------------------

_TEXT = (str,)
_WHOLE = (int,)


def _damaged(problem: str) -> ValidationError:
    return ValidationError(
        _("The package is damaged and cannot be imported: %(problem)s.") % {"problem": problem},
        code="damaged",
    )


def _check_fields(row: Any, types: dict[str, tuple], where: str) -> None:
    if not isinstance(row, dict):
        raise _damaged(_("%(where)s is not a set of fields") % {"where": where})
    for name, kinds in types.items():
        value = row.get(name)
        # bool is an int in Python: a whole number must not be true/false, nor the reverse.
        if not isinstance(value, kinds) or (kinds == _WHOLE and isinstance(value, bool)):
            raise _damaged(
                _("%(where)s has no valid “%(field)s”") % {"where": where, "field": name}
            )


PROGRAMME_TYPES = {
    "name_en": _TEXT,
    "name_ru": _TEXT,
    "session_count": _WHOLE,
    "interval_days": _WHOLE,
    "session_minutes": _WHOLE,
    "absence_review_after": _WHOLE,
    "completion_min_sessions": _WHOLE,
    "complete_within_days": (int, type(None)),
    "missed_session_restarts": (bool,),
    "report_outcome_to_referrer": (bool,),
}
THEME_TYPES = {
    "number": _WHOLE,
    **{name: _TEXT for name in THEME_FIELDS if name not in {"number", "is_core"}},
    "is_core": (bool,),
    "handouts": (list,),
}
HANDOUT_TYPES = {
    "title_en": _TEXT,
    "title_ru": _TEXT,
    "path": _TEXT,
    "sha256": _TEXT,
    "size": _WHOLE,
}
INSTRUMENT_TYPES = {
    **dict.fromkeys(INSTRUMENT_FIELDS, _TEXT),
    "questions": (list,),
    "measures": (list,),
}
QUESTION_TYPES = {
    "number": _WHOLE,
    "code": _TEXT,
    "kind": _TEXT,
    "text_en": _TEXT,
    "text_ru": _TEXT,
    "options": (list,),
    "required": (bool,),
}
MEASURE_TYPES = {
    "code": _TEXT,
    "label_en": _TEXT,
    "label_ru": _TEXT,
    "question_code": _TEXT,
    "values": (list,),
    "position": _WHOLE,
}


def _options_fit(kind: str, options: list) -> bool:
    """A choice's options are [value, English, Russian] texts; a scale's are [lowest, highest];
    other kinds have none that matter."""
    if kind == Question.Kind.CHOICE:
        return bool(options) and all(
            isinstance(option, list)
            and len(option) == 3
            and all(isinstance(part, str) for part in option)
            for option in options
        )
    if kind == Question.Kind.SCALE:
        return (
            len(options) == 2
            and all(isinstance(end, int) and not isinstance(end, bool) for end in options)
            and options[0] <= options[1]
        )
    return True


def check(manifest: Any) -> None:
    """Refuse a manifest that is not whole: every field there, of its type. (The values are
    checked again by the models' own validation when the copy is made.)"""
    _check_fields(
        manifest,
        {
            "key": _TEXT,
            "version": _WHOLE,
            "programme": (dict,),
            "themes": (list,),
            "instruments": (list,),
            "change_note": (dict,),
        },
        _("the package"),
    )
    _check_fields(manifest["programme"], PROGRAMME_TYPES, _("the programme"))
    numbers = set()
    paths = set()
    for theme in manifest["themes"]:
        _check_fields(theme, THEME_TYPES, _("a week"))
        where = _("week %(number)s") % {"number": theme["number"]}
        if theme["number"] in numbers:
            raise _damaged(_("%(where)s appears twice") % {"where": where})
        numbers.add(theme["number"])
        for handout in theme["handouts"]:
            _check_fields(handout, HANDOUT_TYPES, _("a handout of %(where)s") % {"where": where})
            if handout["path"] in paths:
                raise _damaged(_("a handout file appears twice"))
            paths.add(handout["path"])
    codes = set()
    for instrument in manifest["instruments"]:
        _check_fields(instrument, INSTRUMENT_TYPES, _("a survey"))
        where = _("the survey “%(code)s”") % {"code": instrument["code"]}
        if instrument["code"] in codes:
            raise _damaged(_("%(where)s appears twice") % {"where": where})
        codes.add(instrument["code"])
        if instrument["subject"] not in Subject.values:
            raise _damaged(
                _("%(where)s has no valid “%(field)s”") % {"where": where, "field": "subject"}
            )
        for question in instrument["questions"]:
            in_question = _("a question of %(where)s") % {"where": where}
            _check_fields(question, QUESTION_TYPES, in_question)
            if question["kind"] not in Question.Kind.values:
                raise _damaged(
                    _("%(where)s has no valid “%(field)s”")
                    % {"where": in_question, "field": "kind"}
                )
            if not _options_fit(question["kind"], question["options"]):
                raise _damaged(
                    _("%(where)s has no valid “%(field)s”")
                    % {"where": in_question, "field": "options"}
                )
        questions = {question["code"] for question in instrument["questions"]}
        for measure in instrument["measures"]:
            in_measure = _("a measure of %(where)s") % {"where": where}
            _check_fields(measure, MEASURE_TYPES, in_measure)
            if measure["question_code"] not in questions or not all(
                isinstance(value, str) for value in measure["values"]
            ):
                raise _damaged(
                    _("%(where)s has no valid “%(field)s”")
                    % {"where": in_measure, "field": "question_code"}
                )
    note = manifest["change_note"]
    if not all(isinstance(note.get(language), str) for language in ("en", "ru")):
        raise _damaged(_("the package has no valid change note"))


# --- what changed between two versions -----------------------------------------------------


@dataclass
class ThemeChange:
    number: int
    old_title: str
    new_title: str
    fields: list[str]  # labels of what changed in it


@dataclass
class HandoutChange:
    number: int
    title: str
    change: str  # added, removed, changed


@dataclass
class Diff:
    programme: list[tuple[str, Any, Any]] = field(default_factory=list)  # label, old, new
    themes_added: list[tuple[int, str]] = field(default_factory=list)
    themes_removed: list[tuple[int, str]] = field(default_factory=list)
    themes_changed: list[ThemeChange] = field(default_factory=list)
    handouts: list[HandoutChange] = field(default_factory=list)
    instruments_added: list[str] = field(default_factory=list)
    instruments_removed: list[str] = field(default_factory=list)
    instruments_changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.programme,
                self.themes_added,
                self.themes_removed,
                self.themes_changed,
                self.handouts,
                self.instruments_added,
                self.instruments_removed,
                self.instruments_changed,
            )
        )


def label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def shown(value: Any) -> Any:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "—"
    return value


def _title(row: dict) -> str:
    return bilingual(row.get("title_en", ""), row.get("title_ru", ""))


def _instrument_name(row: dict) -> str:
    name = bilingual(row.get("name_en", ""), row.get("name_ru", ""))
    return f"{name} ({row.get('code', '')})"


def diff(old: dict, new: dict) -> Diff:
    """What changed from one version of a package to another, as a reader wants it: the rules
    that differ (old → new), the weeks added, removed or changed (old → new title, and which of
    their texts), the handouts added, removed or replaced, the surveys added, removed or
    changed."""
    result = Diff()
    old_programme, new_programme = old.get("programme", {}), new.get("programme", {})
    for name in PROGRAMME_FIELDS:
        if old_programme.get(name) != new_programme.get(name):
            result.programme.append(
                (
                    label(Programme, name),
                    shown(old_programme.get(name)),
                    shown(new_programme.get(name)),
                )
            )
    old_themes = {t["number"]: t for t in old.get("themes", [])}
    new_themes = {t["number"]: t for t in new.get("themes", [])}
    for number in sorted(new_themes.keys() - old_themes.keys()):
        result.themes_added.append((number, _title(new_themes[number])))
    for number in sorted(old_themes.keys() - new_themes.keys()):
        result.themes_removed.append((number, _title(old_themes[number])))
    for number in sorted(old_themes.keys() & new_themes.keys()):
        before, after = old_themes[number], new_themes[number]
        changed = [
            label(Theme, name)
            for name in THEME_FIELDS
            if name != "number" and before.get(name) != after.get(name)
        ]
        if changed:
            result.themes_changed.append(
                ThemeChange(number, _title(before), _title(after), changed)
            )
        result.handouts += _handout_changes(number, before, after)
    for number in sorted(new_themes.keys() - old_themes.keys()):
        result.handouts += _handout_changes(number, {}, new_themes[number])
    old_instruments = {i["code"]: i for i in old.get("instruments", [])}
    new_instruments = {i["code"]: i for i in new.get("instruments", [])}
    added = sorted(new_instruments.keys() - old_instruments.keys())
    removed = sorted(old_instruments.keys() - new_instruments.keys())
    result.instruments_added = [_instrument_name(new_instruments[c]) for c in added]
    result.instruments_removed = [_instrument_name(old_instruments[c]) for c in removed]
    result.instruments_changed = [
        _instrument_name(new_instruments[c])
        for c in sorted(old_instruments.keys() & new_instruments.keys())
        if old_instruments[c] != new_instruments[c]
    ]
    return result


def _handout_changes(number: int, before: dict, after: dict) -> list[HandoutChange]:
    """Handouts matched by their English title within a week: a new file under the same title is
    a change; a title gone is a removal."""
    old = {h["title_en"]: h for h in before.get("handouts", [])}
    new = {h["title_en"]: h for h in after.get("handouts", [])}
    changes = []
    for title in new.keys() - old.keys():
        changes.append(HandoutChange(number, _title(new[title]), "added"))
    for title in old.keys() - new.keys():
        changes.append(HandoutChange(number, _title(old[title]), "removed"))
    for title in old.keys() & new.keys():
        if (old[title]["sha256"], old[title]["title_ru"]) != (
            new[title]["sha256"],
            new[title]["title_ru"],
        ):
            changes.append(HandoutChange(number, _title(new[title]), "changed"))
    return sorted(changes, key=lambda c: (c.change, c.title))
