"""The coalition's figures as CSV, XLSX and a printable PDF: the same strings as the page."""

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _

from outcomes.exports import safe_cell

from .figures import Figures

SECTIONS = {
    "women": lambda: _("Women's safety: partner surveys, baseline and exit"),
    "programme": lambda: _("Programme"),
    "attrition": lambda: _("Men who left early, by sessions attended"),
    "reoffending": lambda: _("Re-offending within 12 months of the start"),
    "change": lambda: _("Men's change: practitioners' assessments at exit"),
}


def heading(figures: Figures) -> list[str]:
    as_of = [
        _("%(organisation)s: figures of %(date)s")
        % {
            "organisation": column.label,
            "date": formats.date_format(column.as_of, "SHORT_DATE_FORMAT")
            if column.as_of
            else _("no figures yet"),
        }
        for column in figures.columns[:-1]
    ]
    return [
        figures.coalition.name,
        _("Period: %(period)s") % {"period": period_label(figures)},
        _(
            "A figure about fewer than %(minimum)s people is hidden, and so is any figure that "
            "would let a hidden one be worked out."
        )
        % {"minimum": figures.minimum},
        *as_of,
    ]


def period_label(figures: Figures) -> str:
    from .figures import period_choices

    return dict(period_choices()).get(figures.period, figures.period) or _("All time")


def tables(figures: Figures) -> list[tuple[str, list[str], list[list[str]]]]:
    header = [_("Figure"), *(column.label for column in figures.columns)]
    result = []
    for section, title in SECTIONS.items():
        rows = [
            [row.label, *row.display(figures.minimum)]
            for row in figures.rows
            if row.section == section
        ]
        if rows:
            result.append((title(), header, rows))
    return result


def lines(figures: Figures) -> list[list[str]]:
    out = [[line] for line in heading(figures)]
    for title, header, rows in tables(figures):
        out += [[], [title], header, *rows]
    return out


def to_csv(figures: Figures) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines(figures):
        writer.writerow([safe_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(figures: Figures) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Coalition")[:31]
    for line in lines(figures):
        sheet.append([safe_cell(cell) for cell in line])
    for row in sheet.iter_rows():
        if len([c for c in row if c.value is not None]) == 1 and row[0].row > 1:
            row[0].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(figures: Figures) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from participants.reports import _register_fonts

    _register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=8, leading=10)
    subheading = ParagraphStyle("h2", parent=body, fontName="DejaVuSans-Bold", fontSize=11)
    title = _("Coalition figures")
    story = [
        Paragraph(escape(title), ParagraphStyle("h1", parent=subheading, fontSize=15, leading=19)),
        *[Paragraph(escape(line), body) for line in heading(figures)],
    ]
    for name, header, rows in tables(figures):
        grid = Table(
            [[Paragraph(escape(cell), body) for cell in line] for line in [header, *rows]],
            repeatRows=1,
        )
        grid.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [Spacer(1, 5 * mm), Paragraph(escape(name), subheading), Spacer(1, 2 * mm), grid]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=landscape(A4), title=title, leftMargin=12 * mm, rightMargin=12 * mm
    ).build(story)
    return buffer.getvalue()
