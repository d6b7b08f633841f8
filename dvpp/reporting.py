"""Reports made of a few heading lines and titled tables of display strings, written as CSV,
plain text, XLSX (a sheet per table) or a printable PDF. The evidence report and the
coalition's figures both use it, so a page and its downloads always show the same strings."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from outcomes.exports import safe_cell


@dataclass
class Table:
    key: str
    title: str
    note: str
    header: list[str]
    rows: list[list[str]]
    sheet: str = ""  # a short name for its spreadsheet tab; the title's start when empty


def lines(heading: list[str], tables: list[Table]) -> list[list[str]]:
    out = [[line] for line in heading]
    for table in tables:
        out += [[], [table.title], table.header, *table.rows]
        if table.note:
            out.append([table.note])
    return out


def to_csv(heading: list[str], tables: list[Table]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines(heading, tables):
        writer.writerow([safe_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_text(heading: list[str], tables: list[Table]) -> str:
    """For a management command: the same lines, tab-separated."""
    return "\n".join("\t".join(line) for line in lines(heading, tables)) + "\n"


def to_xlsx(heading: list[str], tables: list[Table]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    summary = workbook.active
    taken: set[str] = set()
    summary.title = sheet_name(_("Report"), taken)
    for line in heading:
        summary.append([safe_cell(line)])
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.sheet or table.title, taken))
        sheet.append([safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_cell(cell) for cell in table.header])
        for row in table.rows:
            sheet.append([safe_cell(cell) for cell in row])
        if table.note:
            sheet.append([])
            sheet.append([safe_cell(table.note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SHEET_LIMIT = 31  # Excel's longest sheet name
FORBIDDEN = set("[]:*?/\\")


def sheet_name(title: str, taken: set[str]) -> str:
    """A spreadsheet tab's name that Excel opens: no ``[]:*?/\\``, not starting or ending with an
    apostrophe, at most 31 characters (cut at a word, not in the middle of one), not "History"
    (Excel's own), and unlike every name in ``taken`` whatever the case ("(2)" added). The name
    is added to ``taken``."""
    name = "".join(" " if char in FORBIDDEN else char for char in title.split(":")[0])
    name = " ".join(name.split()).strip("'").strip()
    if len(name) > SHEET_LIMIT:
        cut = name[: SHEET_LIMIT + 1].rsplit(" ", 1)[0]
        name = (cut if len(cut) >= SHEET_LIMIT // 2 else name[:SHEET_LIMIT]).rstrip(" ,;.-'")
    name = name or "-"
    base, number = name, 1
    while name.casefold() in taken or name.casefold() == "history":
        number += 1
        suffix = f" ({number})"
        name = base[: SHEET_LIMIT - len(suffix)].rstrip() + suffix
    taken.add(name.casefold())
    return name


def to_pdf(title: str, heading: list[str], tables: list[Table]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from sessions.reports import _register_fonts

    _register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=8, leading=10)
    note = ParagraphStyle("note", parent=body, textColor=colors.HexColor("#495057"))
    subheading = ParagraphStyle("h2", parent=body, fontName="DejaVuSans-Bold", fontSize=11)
    story = [
        Paragraph(_escape(title), ParagraphStyle("h1", parent=subheading, fontSize=15, leading=19)),
        *[Paragraph(_escape(line), body) for line in heading],
    ]
    for table in tables:
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
        ]
        if table.note:
            story += [Spacer(1, 1 * mm), Paragraph(_escape(table.note), note)]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=landscape(A4), title=title, leftMargin=12 * mm, rightMargin=12 * mm
    ).build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text))
