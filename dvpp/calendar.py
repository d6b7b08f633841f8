"""The organisation's working calendar: which days groups meet and which count as working days.

It starts from the public holidays and transferred working days of the organisation's country
(and region), from the well-kept ``holidays`` library — in Russia, the production calendar the
government sets each year, with its moved days off and working Saturdays. The organisation's
own :class:`~dvpp.models.ClosureDate` rows correct it: a closure of its own (a training
day), a day off the government moved too late for the library, or a day it is open after all.
"""

import datetime
from functools import cached_property

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .i18n import is_russian
from .models import ClosureDate, Organisation


def country_calendar(country: str, region: str, year: int) -> holidays.HolidayBase:
    """The country's public holidays for a year, named in the active language where the
    library has it. An unknown country is a clear error."""
    language = "ru" if is_russian() else None
    try:
        calendar = holidays.country_holidays(country, subdiv=region or None, years=year)
    except NotImplementedError:
        raise ValidationError(
            _("There is no public-holiday calendar for the country %(code)s.") % {"code": country}
        ) from None
    if language and language in calendar.supported_languages:
        calendar = holidays.country_holidays(
            country, subdiv=region or None, years=year, language=language
        )
    return calendar


class OrganisationCalendar:
    """``day in calendar`` is True on a day the organisation is closed (schedules skip it)."""

    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        self._years: dict[int, holidays.HolidayBase] = {}

    @cached_property
    def _corrections(self) -> dict[datetime.date, ClosureDate]:
        rows = ClosureDate.objects.filter(organisation_id=self.organisation.pk)
        return {row.date: row for row in rows}

    def _public(self, year: int) -> holidays.HolidayBase:
        if year not in self._years:
            self._years[year] = country_calendar(
                self.organisation.country, self.organisation.holiday_region, year
            )
        return self._years[year]

    def is_closed(self, day: datetime.date) -> bool:
        """A public holiday or one of the organisation's closures, unless it opens that day."""
        correction = self._corrections.get(day)
        if correction is not None:
            return correction.kind == ClosureDate.Kind.CLOSED
        return day in self._public(day.year)

    __contains__ = is_closed

    def closure_name(self, day: datetime.date) -> str:
        correction = self._corrections.get(day)
        if correction is not None:
            if correction.kind == ClosureDate.Kind.OPEN:
                return ""
            russian = is_russian()
            return (correction.name_ru if russian else "") or correction.name_en
        return self._public(day.year).get(day, "")

    def is_working_day(self, day: datetime.date) -> bool:
        """Monday to Friday and a transferred working Saturday; never a closed day."""
        correction = self._corrections.get(day)
        if correction is not None:
            return correction.kind == ClosureDate.Kind.OPEN
        public = self._public(day.year)
        if day in public:
            return False
        return day.weekday() < 5 or day in getattr(public, "weekend_workdays", ())

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``.

        Counted by the week, then corrected for the holidays, working weekends and closures that
        fall in between, so a referral years old costs no more than last week's."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        days = weeks * 5 + sum(
            (start + datetime.timedelta(days=weeks * 7 + i)).weekday() < 5
            for i in range(1, rest + 1)
        )
        for year in range(start.year, end.year + 1):
            public = self._public(year)
            for day in public:
                if start < day <= end and day.year == year and day.weekday() < 5:
                    days -= 1
            for day in getattr(public, "weekend_workdays", ()):
                if start < day <= end and day.year == year and day.weekday() >= 5:
                    days += day not in public
        for day, correction in self._corrections.items():
            if start < day <= end:
                days += (correction.kind == ClosureDate.Kind.OPEN) - self._usually_working(day)
        return days

    def _usually_working(self, day: datetime.date) -> bool:
        """A working day by the country's calendar alone, before the organisation's own."""
        public = self._public(day.year)
        if day in public:
            return False
        return day.weekday() < 5 or day in getattr(public, "weekend_workdays", ())

    def working_days_before(self, end: datetime.date, count: int) -> datetime.date:
        """The last day from which ``count`` working days have passed by ``end``: every earlier
        day has ``working_days_between(day, end) >= count`` too, so a list can compare dates
        with it in the database instead of counting days for each row."""
        day, passed = end, 0
        while passed < count:
            passed += self.is_working_day(day)
            day -= datetime.timedelta(days=1)
        return day

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The day ``count`` working days after ``start`` (a legal deadline such as ten working
        days for a subject access request in Russia)."""
        day = start
        while count > 0:
            day += datetime.timedelta(days=1)
            count -= self.is_working_day(day)
        return day
