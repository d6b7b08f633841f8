"""The coalition's figures as CSV, XLSX and a printable PDF: the same strings as the page."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dvpp import reporting
from dvpp.reporting import Table

from .figures import Figures

# A short name for each section's spreadsheet tab (Excel allows 31 characters).
SHEETS = {
    "women": lambda: pgettext("spreadsheet tab", "Women's safety"),
    "programme": lambda: pgettext("spreadsheet tab", "Programme"),
    "attrition": lambda: pgettext("spreadsheet tab", "Left early"),
    "reoffending": lambda: pgettext("spreadsheet tab", "Re-offending"),
    "change": lambda: pgettext("spreadsheet tab", "Men's change"),
}

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


def tables(figures: Figures) -> list[Table]:
    header = [_("Figure"), *(column.label for column in figures.columns)]
    result = []
    for section, title in SECTIONS.items():
        rows = [
            [row.label, *row.display(figures.minimum)]
            for row in figures.rows
            if row.section == section
        ]
        if rows:
            result.append(Table(section, title(), "", header, rows, sheet=SHEETS[section]()))
    return result


def to_csv(figures: Figures) -> bytes:
    return reporting.to_csv(heading(figures), tables(figures))


def to_xlsx(figures: Figures) -> bytes:
    return reporting.to_xlsx(heading(figures), tables(figures))


def to_pdf(figures: Figures) -> bytes:
    return reporting.to_pdf(_("Coalition figures"), heading(figures), tables(figures))
