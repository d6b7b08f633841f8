"""The display strings of the figures: one set of words and numbers, in the active language,
that the pages, the CSV, XLSX and PDF files and the commands all show, so none can disagree.

Numbers follow the language's format (a decimal comma and a thin grouping space in Russian),
with a true minus sign (typeset properly, and never read as a formula by a spreadsheet)."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .stats import Estimate

DASH = "—"
MINUS = "\u2212"


def whole(value: int | float) -> str:
    """A whole number as the language writes it, with a true minus sign."""
    return formats.number_format(round(value), 0, use_l10n=True, force_grouping=True).replace(
        "-", MINUS
    )


def percent(value: float | None) -> str:
    """A fraction (0.35) as a percentage ("35%")."""
    if value is None:
        return DASH
    return _("%(value)s%%") % {"value": whole(100 * value)}


def interval(estimate: Estimate | None) -> str:
    """A share's interval, "18% to 35%"."""
    if estimate is None or estimate.low is None or estimate.high is None:
        return DASH
    return _("%(low)s to %(high)s") % {"low": percent(estimate.low), "high": percent(estimate.high)}


def points_interval(low: int | None, high: int | None) -> str:
    """A change's interval in percentage points, "−68 to −48"."""
    if low is None or high is None:
        return DASH
    return _("%(low)s to %(high)s") % {"low": whole(low), "high": whole(high)}


def _amount(value: float) -> str:
    return _("%(value)s%%") % {"value": whole(abs(100 * value))}


def reduction(estimate: Estimate | None, *, amount: bool = False) -> str:
    """A relative reduction against a comparison group, in words: "35% fewer (95% CI 2% to
    57%)", an increase as "17% more (95% CI 5% to 40%)", and an interval that spans no change
    as "no clear difference" before the figure. ``amount`` for a quantity such as harm ("less",
    not "fewer")."""
    if estimate is None:
        return DASH
    value = round(100 * estimate.value)
    if value > 0:
        shown = (_("%(value)s less") if amount else _("%(value)s fewer")) % {
            "value": _amount(estimate.value)
        }
    elif value < 0:
        shown = _("%(value)s more") % {"value": _amount(estimate.value)}
    else:
        shown = _("No difference")
    if estimate.low is None or estimate.high is None:
        return shown
    if estimate.low > 0:  # fewer throughout
        return _("%(figure)s (95%% CI %(low)s to %(high)s)") % {
            "figure": shown,
            "low": _amount(estimate.low),
            "high": _amount(estimate.high),
        }
    if estimate.high < 0:  # more throughout
        return _("%(figure)s (95%% CI %(low)s to %(high)s)") % {
            "figure": shown,
            "low": _amount(estimate.high),
            "high": _amount(estimate.low),
        }
    # The bounds of an interval that spans no change, each with its direction.
    fewer = (
        pgettext("interval bound", "%(value)s less")
        if amount
        else pgettext("interval bound", "%(value)s fewer")
    )
    return _("No clear difference: %(figure)s (95%% CI %(more)s to %(fewer)s)") % {
        "figure": shown,
        "more": pgettext("interval bound", "%(value)s more") % {"value": _amount(estimate.low)},
        "fewer": fewer % {"value": _amount(estimate.high)},
    }
