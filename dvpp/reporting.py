"""The one writer of documents: reports made of a few heading lines and titled tables of
display strings, written as CSV, plain text, XLSX (a sheet per table) or a printable PDF, and the
pieces every PDF of the service is built from (its fonts, styles, tables and page). The evidence
report and the coalition's figures use it whole, so a page and its downloads always show the
same strings; the progress report and the outcome tables build their PDFs from its pieces."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FONTS = Path(__file__).resolve().parent / "fonts"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A spreadsheet cell that cannot run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(lines: Iterable[Iterable[Any]]) -> bytes:
    """Rows as a CSV file that Excel opens as UTF-8 (a byte-order mark first), no cell a
    formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow([safe_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
    return csv_bytes(lines(heading, tables))


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


def register_fonts() -> None:
    """DejaVu, which carries Cyrillic (the PDF standard fonts do not), as "DejaVuSans" and
    "DejaVuSans-Bold"."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))


def pdf_style(name: str, *, size: float, leading: float, bold: bool = False, **options):
    """A paragraph style in the service's fonts (registered here first)."""
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    font = "DejaVuSans-Bold" if bold else "DejaVuSans"
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **options)


def pdf_table(
    rows: list[list[Any]],
    *,
    font_size: float | None = None,
    header: bool = True,
    top: bool = True,
    widths: list[float] | None = None,
):
    """A table of a document: its first row a header repeated on each page and ruled off
    below (unless ``header`` is false), cells aligned at the top (unless ``top`` is false).
    ``font_size`` sets the font of plain-text cells (the header's bold); cells that are
    paragraphs carry their own style."""
    from reportlab.lib import colors
    from reportlab.platypus import Table as Grid
    from reportlab.platypus import TableStyle

    register_fonts()
    style: list[tuple] = []
    if font_size is not None:
        style.append(("FONT", (0, 0), (-1, -1), "DejaVuSans", font_size))
        if header:
            style.append(("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", font_size))
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black))
    if top:
        style.append(("VALIGN", (0, 0), (-1, -1), "TOP"))
    grid = Grid(rows, colWidths=widths, repeatRows=1 if header else 0)
    grid.setStyle(TableStyle(style))
    return grid


def pdf_document(story: list, *, title: str, pagesize=None, **margins) -> bytes:
    """The story (paragraphs, tables, drawings) as a PDF of A4 pages unless told otherwise."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=pagesize or A4, title=title, **margins).build(story)
    return buffer.getvalue()


def to_pdf(title: str, heading: list[str], tables: list[Table]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    body = pdf_style("body", size=8, leading=10)
    note = pdf_style("note", size=8, leading=10, textColor=colors.HexColor("#495057"))
    subheading = pdf_style("h2", size=11, leading=10, bold=True)
    story = [
        Paragraph(_escape(title), pdf_style("h1", size=15, leading=19, bold=True)),
        *[Paragraph(_escape(line), body) for line in heading],
    ]
    for table in tables:
        cells = [
            [Paragraph(_escape(cell), body) for cell in table.header],
            *[[Paragraph(_escape(cell), body) for cell in row] for row in table.rows],
        ]
        story += [
            Spacer(1, 5 * mm),
            Paragraph(_escape(table.title), subheading),
            Spacer(1, 2 * mm),
            pdf_table(cells),
        ]
        if table.note:
            story += [Spacer(1, 1 * mm), Paragraph(_escape(table.note), note)]
    return pdf_document(
        story, title=title, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm
    )


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text))
