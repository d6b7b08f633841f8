"""Reading the values people type into a spreadsheet: dates written the ways this service's
staff write them and yes or no in either language. Each parser raises ``ValueError`` carrying
the message to show beside the cell, so every import words a bad value the same way."""

import datetime
from typing import Any

from django.utils.translation import gettext as _

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
YES = {"yes", "y", "true", "1", "да", "д"}
NO = {"no", "n", "false", "0", "нет", "н", ""}


def parse_date(value: Any) -> datetime.date:
    """A date from a cell: a spreadsheet's own date, or 1980-12-31, 31.12.1980 or 31/12/1980."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(value), date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date (use 1980-12-31 or 31.12.1980).") % {"value": value}
    )


def parse_bool(value: Any) -> bool:
    """Yes or no, in English or Russian, in any case; an empty cell is no."""
    text = str(value).strip().casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(_("Write yes or no."))
