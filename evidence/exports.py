"""The "Did it work?" report as tables of display strings: the page, the CSV, the XLSX, the PDF
and the management command all show these same strings, so they cannot disagree."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dvpp import reporting
from dvpp.reporting import Table
from outcomes.display import DASH, interval, percent, points_interval, reduction

from .figures import Report


def confidence() -> str:
    """The interval's column heading (its "%" is a percent sign, not a placeholder)."""
    # xgettext:no-python-format
    return _("95% confidence interval")


def points_confidence() -> str:
    """The paired change's interval heading (its "%" is a percent sign, not a placeholder)."""
    # xgettext:no-python-format
    return _("95% confidence interval (points)")


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
        [_("Measure"), _("n"), _("Before"), _("After"), _("Change (points)"), points_confidence()],
        [
            [row.label, hidden(minimum), DASH, DASH, DASH, DASH]
            if row.suppressed
            else [
                row.label,
                str(row.n),
                percent(row.before / 100),
                percent(row.after / 100),
                signed(row.change),
                points_interval(row.change_low, row.change_high),
            ]
            for row in report.women
        ],
        sheet=pgettext("spreadsheet tab", "Women's safety"),
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
        sheet=pgettext("spreadsheet tab", "Men's change"),
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
        sheet=pgettext("spreadsheet tab", "Re-offending and harm"),
    )
    reductions = Table(
        "reduction",
        _("Reduction against the comparison group: %(comparison)s")
        % {"comparison": report.comparison_label},
        report.notes["comparison"],
        [
            _("Group"),
            _("Measure"),
            _("Against the comparison group"),
            pgettext("report column", "Note"),
        ],
        [
            [item.group, item.label, hidden(minimum), ""]
            if item.suppressed
            else [
                item.group,
                item.label,
                reduction(item.estimate, amount=item.measure == "harm"),
                item.note,
            ]
            for item in report.reductions
        ],
        sheet=pgettext("spreadsheet tab", "Against comparison"),
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


def to_csv(report: Report) -> bytes:
    return reporting.to_csv(heading(report), tables(report))


def to_text(report: Report) -> str:
    return reporting.to_text(heading(report), tables(report))


def to_xlsx(report: Report) -> bytes:
    return reporting.to_xlsx(heading(report), tables(report))


def to_pdf(report: Report) -> bytes:
    return reporting.to_pdf(_("Did it work? Evidence of change"), heading(report), tables(report))
