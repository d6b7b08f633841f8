"""Dates follow the active language: UK English and Russian."""

import datetime

from django.utils import formats, translation

DAY = datetime.date(2026, 3, 9)


def test_english_dates_are_written_the_uk_way():
    with translation.override("en"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "09/03/2026"
        assert formats.date_format(DAY) == "9 March 2026"


def test_russian_dates_are_written_the_russian_way():
    with translation.override("ru"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "09.03.2026"
        assert formats.date_format(DAY) == "9 марта 2026 г."
