"""The outcome tables as CSV, XLSX and a printable PDF with charts."""

import csv
import io
import textwrap

from django.utils import formats
from django.utils.translation import gettext as _

from dvpp.spreadsheets import FORMULA_STARTS, safe_cell  # noqa: F401 - the core's, named here too

from .figures import Row


def table_rows(rows: list[Row]) -> list[list]:
    header = [
        _("Measure"),
        _("n"),
        _("Before (%)"),
        _("After (%)"),
        _("Change (points)"),
        # xgettext:no-python-format
        _("95% CI, from (points)"),
        # xgettext:no-python-format
        _("95% CI, to (points)"),
    ]
    body = []
    for row in rows:
        if row.suppressed:
            body.append([row.label, _("fewer than the minimum"), "", "", "", "", ""])
        else:
            body.append(
                [
                    row.label,
                    row.n,
                    row.before,
                    row.after,
                    row.change,
                    row.change_low,
                    row.change_high,
                ]
            )
    return [header, *body]


def to_csv(rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table_rows(rows):
        writer.writerow([safe_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[Row], programme: dict) -> bytes:
    import openpyxl

    from dvpp.reporting import sheet_name

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    taken: set[str] = set()
    sheet.title = sheet_name(_("Before and after"), taken)
    for line in table_rows(rows):
        sheet.append([safe_cell(cell) for cell in line])
    figures = workbook.create_sheet(sheet_name(_("Programme"), taken))
    figures.append([_("Figure"), _("Value")])
    for label, key in programme_labels():
        figures.append([label, programme.get(key)])
    figures.append([])
    figures.append([_("Referral source"), _("Referrals")])
    for item in programme["referrals_by_source"]:
        figures.append([safe_cell(item["source"]), item["count"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def programme_labels():
    return [
        (_("Median days to first contact with a partner"), "median_days_to_first_contact"),
        (_("Partners contacted"), "partners_contacted"),
        (_("Starts"), "starts"),
        (_("Completion rate (%)"), "completion_rate"),
        (_("Attendance rate (%)"), "attendance_rate"),
        (_("Check-ins overdue"), "overdue_checkins"),
    ]


def to_pdf(rows: list[Row], programme: dict, *, title: str, subtitle: str) -> bytes:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from participants.reports import _register_fonts

    _register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=12)
    heading = ParagraphStyle("h", parent=body, fontName="DejaVuSans-Bold", fontSize=14, leading=18)
    story = [Paragraph(title, heading), Paragraph(subtitle, body), Spacer(1, 4 * mm)]
    table = Table(table_rows(rows), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "DejaVuSans", 8),
                ("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ]
        )
    )
    story.append(table)
    shown = [row for row in rows if not row.suppressed]
    if shown:
        drawing = Drawing(170 * mm, max(60, 24 * len(shown)) * mm / 3)
        chart = HorizontalBarChart()
        chart.x, chart.y = 60 * mm, 5 * mm
        chart.width, chart.height = 100 * mm, drawing.height - 10 * mm
        chart.data = [[row.before for row in shown], [row.after for row in shown]]
        # Long labels (the Russian ones especially) wrap onto lines within the 60 mm left of
        # the bars, rather than running off the page.
        chart.categoryAxis.categoryNames = [
            "\n".join(textwrap.wrap(row.label, 34)) for row in shown
        ]
        chart.categoryAxis.labels.fontName = "DejaVuSans"
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
        chart.valueAxis.labels.fontName = "DejaVuSans"
        chart.bars[0].fillColor = colors.HexColor("#adb5bd")
        chart.bars[1].fillColor = colors.HexColor("#6f42c1")
        drawing.add(chart)
        story += [
            Spacer(1, 6 * mm),
            Paragraph(_("Before and after: per cent of those who answered both times"), body),
            drawing,
            Paragraph(_("Grey: before; purple: after (per cent)."), body),
        ]
    story.append(Spacer(1, 6 * mm))
    figures = [
        [label, "—" if programme.get(key) is None else formats.localize(programme[key])]
        for label, key in programme_labels()
    ]
    story.append(Table(figures, style=[("FONT", (0, 0), (-1, -1), "DejaVuSans", 8)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(story)
    return buffer.getvalue()
