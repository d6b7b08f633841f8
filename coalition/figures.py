"""A coalition's figures: each current member organisation side by side, and the coalition as a
whole, built from the members' nightly snapshots (``OutcomeSnapshot.counts``), never from rows
at request time.

Every cell is about a number of people (or of marks); a cell about fewer than the minimum is
hidden. So that no hidden cell can be worked out from the others, in each row the cells hidden
together must add up to the minimum or more (else the smallest shown cells are hidden too, or
the total), and for a period, a cell that differs from the same cell over all time by fewer than
the minimum is hidden. The minimum is the strictest of the members' own.

Organisations are named only with their consent (``Membership.shown_by_name``); otherwise
"Organisation A", "B", … in the order they joined.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from string import ascii_uppercase

from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dvpp.i18n import bilingual, is_russian
from outcomes.models import OutcomeSnapshot

from .models import Coalition, Membership

SURVEY = "partner-safety"
# Letters for unnamed members in Russian (without Ё, Й, Ъ, Ы, Ь: not used for labels).
RUSSIAN_LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"
DASH = "—"


@dataclass
class Column:
    key: str
    label: str
    as_of: datetime.date | None = None


@dataclass
class Cell:
    n: int | None  # None: no figures from this organisation
    numerator: int = 0
    extra: int = 0  # the second share of a before/after cell
    median: float | None = None
    value: float = 0.0  # a sum: harm (days) for a mean; squares for its spread
    spread: float = 0.0
    estimate: object = None  # a reduction (evidence.stats.Estimate)
    hidden: bool = False
    small: bool = False  # hidden because it is about fewer than the minimum


@dataclass
class Row:
    section: str
    label: str
    kind: str  # "count", "share", "paired", "median"
    cells: list[Cell]  # one per organisation, then the total

    def display(self, minimum: int) -> list[str]:
        return [_show(self.kind, cell, minimum) for cell in self.cells]


@dataclass
class Figures:
    coalition: Coalition
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    minimum: int = 5
    period: str = ""
    too_few: bool = False


def _percent(part: int, whole: int) -> str:
    return _("%(value)s%%") % {"value": formats.number_format(round(100 * part / whole), 0)}


def _show(kind: str, cell: Cell, minimum: int) -> str:
    if cell.n is None:
        return DASH
    if cell.hidden:
        # "Fewer than 5" only where it is true; a cell hidden to protect another is "hidden".
        return _("fewer than %(minimum)s") % {"minimum": minimum} if cell.small else _("hidden")
    if kind == "count":
        return formats.number_format(cell.n, 0, force_grouping=True)
    if cell.n == 0:
        return DASH
    if kind == "share":
        return _("%(share)s of %(n)s") % {
            "share": _percent(cell.numerator, cell.n),
            "n": formats.number_format(cell.n, 0, force_grouping=True),
        }
    if kind == "mean":
        return _("%(mean)s (n = %(n)s)") % {
            "mean": formats.number_format(cell.value / cell.n, 1),
            "n": formats.number_format(cell.n, 0, force_grouping=True),
        }
    if kind == "reduction":
        # In words, as the evidence report reads it: "35% fewer (95% CI 13% to 51%)".
        from outcomes.display import reduction

        return reduction(cell.estimate) if cell.estimate is not None else DASH
    if kind == "paired":
        return _("%(before)s → %(after)s (n = %(n)s)") % {
            "before": _percent(cell.numerator, cell.n),
            "after": _percent(cell.extra, cell.n),
            "n": formats.number_format(cell.n, 0, force_grouping=True),
        }
    return _("%(days)s days (n = %(n)s)") % {
        "days": formats.number_format(cell.median, 1 if cell.median % 1 else 0),
        "n": formats.number_format(cell.n, 0, force_grouping=True),
    }


# --- periods ----------------------------------------------------------------------------------


def period_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """All time and the last five calendar years: whole years only, suppressed together (see
    :func:`build`), so that no year can be found from all time and the other years."""
    today = today or timezone.localdate()
    return [("", _("All time"))] + [(str(y), str(y)) for y in _years(today)]


def _years(today: datetime.date) -> list[int]:
    return list(range(today.year, today.year - 5, -1))


def _in_period(quarter: str, period: str) -> bool:
    """``period``: "" (all time), a year, or "<YEAR" (every year before it)."""
    if not period:
        return True
    if period.startswith("<"):
        return quarter[:4] < period[1:]
    return quarter.startswith(period)


# --- the members and their snapshots ------------------------------------------------------------


def current_members(coalition: Coalition, today: datetime.date) -> list[tuple[Membership, str]]:
    """The organisations in the coalition today (each once), with the name each is shown under.

    A member is named only with its consent, and only while at least two members stay unnamed
    (a single unnamed one would be named by elimination). The others are "Organisation A",
    "B", … in an order that follows neither joining nor size: a stable shuffle per coalition."""
    current = (
        Membership.objects.filter(coalition=coalition, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .select_related("organisation")
        .order_by("joined_on", "pk")
    )
    seen: dict[int, Membership] = {}
    for membership in current:
        seen.setdefault(membership.organisation_id, membership)

    def shuffled(membership: Membership) -> str:
        return hashlib.sha256(f"{coalition.pk}:{membership.organisation_id}".encode()).hexdigest()

    ordered = sorted(seen.values(), key=shuffled)
    unnamed = [m for m in ordered if not m.shown_by_name]
    naming = len(unnamed) != 1
    members, letter = [], 0
    for membership in ordered:
        if naming and membership.shown_by_name:
            members.append((membership, membership.organisation.name))
            continue
        alphabet = RUSSIAN_LETTERS if is_russian() else ascii_uppercase
        size = len(alphabet)
        label = alphabet[letter % size] + ("" if letter < size else str(letter // size))
        members.append((membership, _("Organisation %(letter)s") % {"letter": label}))
        letter += 1
    return members


def _latest_counts(members) -> dict[int, tuple[datetime.date, dict]]:
    """Each member's latest snapshot since it joined: two queries, whatever the number."""
    joined = {m.organisation_id: m.joined_on for m, _name in members}
    latest = (
        OutcomeSnapshot.objects.filter(organisation_id__in=joined)
        .values("organisation_id")
        .annotate(on=Max("taken_on"))
    )
    wanted = Q(pk__in=[])
    for item in latest:
        if item["on"] >= joined[item["organisation_id"]]:
            wanted |= Q(organisation_id=item["organisation_id"], taken_on=item["on"])
    return {
        snapshot.organisation_id: (snapshot.taken_on, snapshot.counts)
        for snapshot in OutcomeSnapshot.objects.filter(wanted).only(
            "organisation_id", "taken_on", "counts"
        )
    }


# --- rows -----------------------------------------------------------------------------------------


def _sum(by_quarter: dict, period: str) -> int:
    return sum(value for q, value in by_quarter.items() if _in_period(q, period))


def _pairs(by_quarter: dict, period: str) -> list[int]:
    total = [0, 0]
    for q, value in by_quarter.items():
        if _in_period(q, period):
            total = [total[0] + value[0], total[1] + value[1]]
    return total


def _median_of(histogram: dict[int, int]) -> float | None:
    n = sum(histogram.values())
    if not n:
        return None
    middle = [(n - 1) // 2, n // 2]
    values, seen = [], 0
    for days in sorted(histogram):
        for position in middle:
            if seen <= position < seen + histogram[days]:
                values.append(days)
        seen += histogram[days]
    return sum(values) / len(values)


def _shipped_measures() -> dict[str, list[str]]:
    from outcomes.defaults import PARTNER_SURVEY

    return {code: [en, ru] for code, en, ru, *_rest in PARTNER_SURVEY["measures"]}


def _shipped_sources() -> dict[str, list[str]]:
    from participants.defaults import REFERRAL_SOURCES

    found: dict[str, list[str]] = {}
    for sources in REFERRAL_SOURCES.values():
        for code, en, ru in sources:
            found.setdefault(code, [en, ru])
    return found


def _rows(counts: list[dict | None], period: str) -> list[Row]:
    """The rows, one cell per organisation (None where it has no snapshot) and a total."""

    def row(section, label, kind, make) -> Row:
        cells = [make(c) if c is not None else Cell(n=None) for c in counts]
        present = [cell for cell in cells if cell.n is not None]
        total = Cell(
            n=sum(cell.n for cell in present) if present else None,
            numerator=sum(cell.numerator for cell in present),
            extra=sum(cell.extra for cell in present),
            value=sum(cell.value for cell in present),
            spread=sum(cell.spread for cell in present),
        )
        return Row(section, label, kind, [*cells, total])

    rows: list[Row] = []
    for measure, label in _shipped_measures().items():

        def paired(c, measure=measure):
            cells = c.get("paired", {}).get(SURVEY, {}).get(measure, {})
            n = before = after = 0
            for q, (pairs, yes_before, yes_after) in cells.items():
                if _in_period(q, period):
                    n, before, after = n + pairs, before + yes_before, after + yes_after
            return Cell(n=n, numerator=before, extra=after)

        rows.append(row("women", bilingual(*label), "paired", paired))

    rows.append(
        row(
            "programme",
            _("Referrals"),
            "count",
            lambda c: Cell(
                n=sum(
                    sum(sources.values())
                    for q, sources in c.get("referrals", {}).items()
                    if _in_period(q, period)
                )
            ),
        )
    )
    # The shipped sources only, with the shipped names: a member's own entries are its own
    # words (and could name it), so they count as "other".
    source_labels = _shipped_sources()
    for code, label in source_labels.items():
        rows.append(
            row(
                "programme",
                _("Referrals from: %(source)s") % {"source": bilingual(*label)},
                "count",
                lambda c, code=code: Cell(
                    n=sum(
                        sources.get(code, 0)
                        for q, sources in c.get("referrals", {}).items()
                        if _in_period(q, period)
                    )
                ),
            )
        )
    rows.append(
        row(
            "programme",
            _("Referrals from other sources"),
            "count",
            lambda c: Cell(
                n=sum(
                    n
                    for q, sources in c.get("referrals", {}).items()
                    if _in_period(q, period)
                    for code, n in sources.items()
                    if code not in source_labels
                )
            ),
        )
    )
    rows.append(
        row("programme", _("Starts"), "count", lambda c: Cell(n=_sum(c.get("starts", {}), period)))
    )

    def completion(c):
        ended, completed = _pairs(c.get("ended", {}), period)
        return Cell(n=ended, numerator=completed)

    rows.append(
        row("programme", _("Completion (of those whose programme ended)"), "share", completion)
    )

    def attendance(c):
        marks, present = _pairs(c.get("attendance", {}), period)
        return Cell(n=marks, numerator=present)

    rows.append(row("programme", _("Attendance (of the sessions expected)"), "share", attendance))

    weeks: set[int] = set()  # the same rows for every period, so periods line up
    for c in counts:
        if c is not None:
            for by_week in c.get("attrition", {}).values():
                weeks |= {int(week) for week in by_week}
    for week in sorted(weeks):
        rows.append(
            row(
                "attrition",
                _("Left after %(sessions)s sessions") % {"sessions": week},
                "count",
                lambda c, week=str(week): Cell(
                    n=sum(
                        by_week.get(week, 0)
                        for q, by_week in c.get("attrition", {}).items()
                        if _in_period(q, period)
                    )
                ),
            )
        )

    def histogram(c) -> dict[int, int]:
        merged: dict[int, int] = defaultdict(int)
        for q, days in c.get("first_contact_days", {}).items():
            if _in_period(q, period):
                for day, n in days.items():
                    merged[int(day)] += n
        return merged

    contact = row(
        "programme",
        _("Median days from her referral to partner support to first contact with her"),
        "median",
        lambda c: Cell(n=sum(histogram(c).values()), median=_median_of(histogram(c))),
    )
    merged: dict[int, int] = defaultdict(int)
    for c in counts:
        if c is not None:
            for day, n in histogram(c).items():
                merged[day] += n
    contact.cells[-1].median = _median_of(merged)
    rows.append(contact)
    rows += _evidence_rows(counts, period, row)
    return rows


GROUPS = {
    "completers": lambda: _("completers"),
    "non_completers": lambda: _("non-completers"),
    "starters": lambda: _("all who started"),
    "internal": lambda: _("assessed suitable, did not start"),
}


def _evidence_rows(counts: list[dict | None], period: str, row) -> list[Row]:
    """Re-offending within 12 months of the start by group, harm per man, the reduction of all
    who started against those who did not start, and the practitioners' change assessments."""

    def group_cell(c, key) -> Cell:
        evidence = c.get("evidence", {}).get("reoffending", {})
        keys = ["completers", "non_completers"] if key == "starters" else [key]
        cell = Cell(n=0)
        for name in keys:
            for q, (men, reoffended, _incidents, harm, squares) in evidence.get(name, {}).items():
                if _in_period(q, period):
                    cell.n += men
                    cell.numerator += reoffended
                    cell.value += harm
                    cell.spread += squares
        return cell

    rows = [
        row(
            "reoffending",
            _("Men with an incident: %(group)s") % {"group": label()},
            "share",
            lambda c, key=key: group_cell(c, key),
        )
        for key, label in GROUPS.items()
    ]
    for key in ("starters", "internal"):
        rows.append(
            row(
                "reoffending",
                _("Harm per man (days): %(group)s") % {"group": GROUPS[key]()},
                "mean",
                lambda c, key=key: group_cell(c, key),
            )
        )
    reduction = row(
        "reoffending",
        _("Fewer men with an incident: all who started against those who did not start"),
        "reduction",
        lambda c: Cell(n=group_cell(c, "starters").n),
    )
    rows.append(reduction)

    def change(c) -> Cell:
        cell = Cell(n=0)
        for q, (assessed, both) in c.get("evidence", {}).get("change", {}).items():
            if _in_period(q, period):
                cell.n += assessed
                cell.numerator += both
        return cell

    rows.append(
        row(
            "change",
            _("Completers showing both the capacity and the motivation to change"),
            "share",
            change,
        )
    )
    return rows


def _reductions(rows: list[Row]) -> None:
    """Each column's reduction, from its two groups once they are suppressed: hidden with them."""
    from evidence import stats

    by_label = {row.label: row for row in rows}
    starters = by_label.get(_("Men with an incident: %(group)s") % {"group": GROUPS["starters"]()})
    internal = by_label.get(_("Men with an incident: %(group)s") % {"group": GROUPS["internal"]()})
    reduction = next((row for row in rows if row.kind == "reduction"), None)
    if reduction is None or starters is None or internal is None:
        return
    for index, cell in enumerate(reduction.cells):
        ours, theirs = starters.cells[index], internal.cells[index]
        if ours.n is None or theirs.n is None:
            cell.n = None
        elif ours.hidden or theirs.hidden or not ours.n or not theirs.n:
            cell.hidden = bool(ours.n and theirs.n)
        else:
            cell.estimate = stats.risk_reduction(ours.numerator, ours.n, theirs.numerator, theirs.n)


# --- suppression ------------------------------------------------------------------------------


def _primary(row: Row, minimum: int) -> None:
    """A cell about fewer than the minimum; and every cell of a figure whose total is."""
    for cell in row.cells:
        if cell.n is not None and 0 < cell.n < minimum:
            cell.hidden = cell.small = True
    if row.cells[-1].hidden:
        for cell in row.cells:
            cell.hidden = cell.hidden or bool(cell.n)


def _complement(cells: list[Cell], minimum: int, whole: Cell | None = None) -> bool:
    """Cells that add up to a figure (a row's members to its total, a column's parts to their
    whole, a cell's years to all time): the cells hidden among them must be two or more and
    about the minimum or more, or a hidden one could be found by subtraction; and a hidden
    whole needs a hidden part. Hides the smallest shown cells until that holds; when none is
    left, the whole. Returns whether anything changed."""
    changed = False
    while True:
        shown = [cell for cell in cells if not cell.hidden and cell.n]
        hidden = [cell for cell in cells if cell.hidden and cell.n]
        if whole is not None and whole.hidden and whole.n and not hidden and shown:
            min(shown, key=lambda cell: cell.n).hidden = True
            changed = True
            continue
        if not hidden:
            return changed
        if len(hidden) >= 2 and sum(cell.n for cell in hidden) >= minimum:
            return changed
        if not shown:
            if whole is not None and whole.n and not whole.hidden:
                whole.hidden = True
                changed = True
            return changed
        min(shown, key=lambda cell: cell.n).hidden = True
        changed = True


def _link(pairs: list[tuple[Row, Row]]) -> bool:
    """Rows about the same men (a share and a mean of one group): hidden together."""
    changed = False
    for first, second in pairs:
        for a, b in zip(first.cells, second.cells, strict=True):
            if a.hidden != b.hidden and (a.n or b.n):
                a.hidden = b.hidden = True
                changed = True
    return changed


def _suppress(tables: dict[str, list[Row]], minimum: int, structure) -> None:
    """Primary suppression in every period's table, then complementary suppression, repeated
    until nothing more is hidden: along each row (the members add up to the coalition), along
    each column where rows partition another (sources of the referrals, the men who left early
    by week, completers and non-completers of all who started), and across periods (the years
    and the time before them add up to all time), with rows about the same men hidden together.
    All tables are worked out together, whichever is asked for, so each shows the same."""
    for rows in tables.values():
        for row in rows:
            _primary(row, minimum)
    everything = tables[""]
    parts = [period for period in tables if period]
    for _round in range(100):
        changed = False
        for rows in tables.values():
            by_label = {row.label: row for row in rows}
            for row in rows:
                changed |= _complement(row.cells[:-1], minimum, row.cells[-1])
            for parent, labels in structure["partitions"]:
                members = [by_label[label] for label in labels if label in by_label]
                if not members:
                    continue
                whole = by_label.get(parent) if parent else None
                for column in range(len(members[0].cells)):
                    changed |= _complement(
                        [row.cells[column] for row in members],
                        minimum,
                        whole.cells[column] if whole else None,
                    )
            changed |= _link([(by_label[a], by_label[b]) for a, b in structure["linked"]])
        for index, row in enumerate(everything):
            for column in range(len(row.cells)):
                changed |= _complement(
                    [tables[period][index].cells[column] for period in parts],
                    minimum,
                    row.cells[column],
                )
        if not changed:
            return


def build(coalition: Coalition, *, period: str = "", today: datetime.date | None = None) -> Figures:
    today = today or timezone.localdate()
    members = current_members(coalition, today)
    snapshots = _latest_counts(members)
    columns = [
        Column(
            key=f"org-{membership.organisation_id}",
            label=name,
            as_of=snapshots.get(membership.organisation_id, (None, None))[0],
        )
        for membership, name in members
    ]
    columns.append(Column(key="total", label=_("Coalition")))
    minimum = max([5, *(membership.organisation.min_cell_size for membership, _name in members)])
    counts = [
        snapshots[m.organisation_id][1] if m.organisation_id in snapshots else None
        for m, _name in members
    ]
    years = _years(today)
    if period and period not in {str(year) for year in years}:
        period = ""
    # Every period's table, and the time before them (never shown), worked out together.
    periods = ["", *(str(year) for year in years), f"<{years[-1]}"]
    tables = {name: _rows(counts, name) for name in periods}
    for cell in (c for row in tables[f"<{years[-1]}"] for c in row.cells):
        cell.hidden = bool(cell.n)
    shares = {
        key: _("Men with an incident: %(group)s") % {"group": GROUPS[key]()} for key in GROUPS
    }
    harms = {key: _("Harm per man (days): %(group)s") % {"group": GROUPS[key]()} for key in GROUPS}
    rows = tables[period]
    sources = [
        r.label
        for r in rows
        if r.section == "programme"
        and r.label.startswith(_("Referrals from: %(source)s") % {"source": ""})
    ] + [_("Referrals from other sources")]
    structure = {
        "partitions": [
            (_("Referrals"), sources),
            (
                _("Completion (of those whose programme ended)"),
                [r.label for r in rows if r.section == "attrition"],
            ),
            (shares["starters"], [shares["completers"], shares["non_completers"]]),
        ],
        "linked": [
            (shares["starters"], harms["starters"]),
            (shares["internal"], harms["internal"]),
        ],
    }
    _suppress(
        {name: [r for r in table if r.kind != "reduction"] for name, table in tables.items()},
        minimum,
        structure,
    )
    _reductions(rows)
    figures = Figures(
        coalition=coalition, columns=columns, rows=rows, minimum=minimum, period=period
    )
    starts = next((r for r in rows if r.label == _("Starts")), None)
    if period and (starts is None or starts.cells[-1].hidden or not starts.cells[-1].n):
        figures.too_few = True
    return figures
