"""The "Did it work?" report as tables of display strings: the page, the CSV, the XLSX, the PDF
and the management command all show these same strings, so they cannot disagree."""

import csv
import io
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from outcomes.exports import safe_cell

from . import stats
from .figures import Report

DASH = "—"


@dataclass
class Table:
    key: str
    title: str
    note: str
    header: list[str]
    rows: list[list[str]]


def confidence() -> str:
    """The interval's column heading (its "%" is a percent sign, not a placeholder)."""
    # xgettext:no-python-format
    return _("95% confidence interval")


def percent(value: float | None) -> str:
    if value is None:
        return DASH
    shown = formats.number_format(round(100 * value), 0)
    # A true minus sign: typeset properly, and never read as a formula by a spreadsheet.
    return _("%(value)s%%") % {"value": shown.replace("-", "\u2212")}


def interval(estimate: stats.Estimate | None) -> str:
    if estimate is None or estimate.low is None or estimate.high is None:
        return DASH
    return _("%(low)s to %(high)s") % {"low": percent(estimate.low), "high": percent(estimate.high)}


def signed(value: int) -> str:
    """A change in points, with a true minus sign (never read as a formula)."""
    return formats.number_format(value, 0).replace("-", "\u2212")


def number(value, places: int) -> str:
    return (
        DASH
        if value is None
        else formats.number_format(value, places, use_l10n=True, force_grouping=True)
    )


def hidden(minimum: int) -> str:
    return _("fewer than %(minimum)s") % {"minimum": minimum}


def tables(report: Report) -> list[Table]:
    minimum = report.organisation.min_cell_size
    women = Table(
        "women",
        _("Women's safety: partner surveys, baseline and exit"),
        report.notes["women"],
        [_("Measure"), _("n"), _("Before"), _("After"), _("Change (points)")],
        [
            [row.label, hidden(minimum), DASH, DASH, DASH]
            if row.suppressed
            else [
                row.label,
                str(row.n),
                percent(row.before / 100),
                percent(row.after / 100),
                signed(row.change),
            ]
            for row in report.women
        ],
    )
    change = Table(
        "change",
        _("Men's change: practitioners' assessments at exit"),
        report.notes["change"],
        [_("Figure"), _("n"), _("Share"), confidence()],
        [
            [share.label, hidden(minimum), DASH, DASH]
            if share.suppressed
            else [
                share.label,
                str(share.n),
                percent(share.estimate.value),
                interval(share.estimate),
            ]
            for share in report.change
        ],
    )
    groups = Table(
        "reoffending",
        _("Re-offending and harm within %(months)s months of the start")
        % {"months": report.months},
        report.notes["reoffending"],
        [
            _("Group"),
            _("n"),
            _("Men with at least one incident"),
            confidence(),
            _("Incidents per man"),
            _("Harm per man (days)"),
            _("Total harm (days)"),
        ],
        [
            [group.label, hidden(minimum), DASH, DASH, DASH, DASH, DASH]
            if group.suppressed
            else [
                group.label,
                str(group.n),
                percent(group.prevalence.value if group.prevalence else None),
                interval(group.prevalence),
                number(group.frequency, 2),
                number(group.mean_harm, 1),
                number(group.total_harm, 1),
            ]
            for group in report.groups
        ],
    )
    reductions = Table(
        "reduction",
        _("Reduction against the comparison group: %(comparison)s")
        % {"comparison": report.comparison_label},
        report.notes["comparison"],
        [_("Group"), _("Measure"), _("Reduction"), confidence(), pgettext("report column", "Note")],
        [
            [item.group, item.label, hidden(minimum), DASH, ""]
            if item.suppressed
            else [
                item.group,
                item.label,
                percent(item.estimate.value if item.estimate else None),
                interval(item.estimate),
                item.note,
            ]
            for item in report.reductions
        ],
    )
    return [women, change, groups, reductions]


def heading(report: Report) -> list[str]:
    """The lines that say what the report covers."""
    return [
        report.organisation.name,
        _("Window: %(months)s months after each man's start; men who started by %(date)s")
        % {
            "months": report.months,
            "date": formats.date_format(report.followed_until, "SHORT_DATE_FORMAT"),
        },
        _("Comparison group: %(comparison)s (%(randomised)s)")
        % {
            "comparison": report.comparison_label,
            "randomised": _("randomised") if report.randomised else _("not randomised"),
        },
        _("Made on %(date)s") % {"date": formats.date_format(report.today, "SHORT_DATE_FORMAT")},
    ]


def lines(report: Report) -> list[list[str]]:
    out = [[line] for line in heading(report)]
    for table in tables(report):
        out += [[], [table.title], table.header, *table.rows, [table.note]]
    return out


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines(report):
        writer.writerow([safe_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_text(report: Report) -> str:
    """For the management command: the same lines, tab-separated."""
    return "\n".join("\t".join(line) for line in lines(report)) + "\n"


def to_xlsx(report: Report) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = _("Report")[:31]
    for line in heading(report):
        summary.append([safe_cell(line)])
    for table in tables(report):
        sheet = workbook.create_sheet(_sheet_name(table.title))
        sheet.append([safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_cell(cell) for cell in table.header])
        for row in table.rows:
            sheet.append([safe_cell(cell) for cell in row])
        sheet.append([])
        sheet.append([safe_cell(table.note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    name = "".join(" " if char in "[]:*?/\\" else char for char in title.split(":")[0])
    return name.strip()[:31] or "-"


def to_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from participants.reports import _register_fonts

    _register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=8, leading=10)
    note = ParagraphStyle("note", parent=body, textColor=colors.HexColor("#495057"))
    subheading = ParagraphStyle("h2", parent=body, fontName="DejaVuSans-Bold", fontSize=11)
    title = _("Did it work? Evidence of change")
    story = [
        Paragraph(title, ParagraphStyle("h1", parent=subheading, fontSize=15, leading=19)),
        *[Paragraph(_escape(line), body) for line in heading(report)],
    ]
    for table in tables(report):
        cells = [
            [Paragraph(_escape(cell), body) for cell in table.header],
            *[[Paragraph(_escape(cell), body) for cell in row] for row in table.rows],
        ]
        grid = Table(cells, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [
            Spacer(1, 5 * mm),
            Paragraph(_escape(table.title), subheading),
            Spacer(1, 2 * mm),
            grid,
            Spacer(1, 1 * mm),
            Paragraph(_escape(table.note), note),
        ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=landscape(A4), title=title, leftMargin=12 * mm, rightMargin=12 * mm
    ).build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text))
