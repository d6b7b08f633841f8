"""The working calendar: public holidays and transferred days from the holidays library,
corrected by the organisation's own table."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dvpp.calendar import OrganisationCalendar
from dvpp.models import ClosureDate
from dvpp.services import organisation_create
from sessions.schedule import next_slots
from tests.factories import OrganisationFactory

D = datetime.date


@pytest.fixture
def russian(db):
    return OrganisationFactory(slug="ural", country="RU", holiday_region="")


@pytest.fixture
def english(db):
    return OrganisationFactory(slug="leeds", country="GB", holiday_region="ENG")


def test_russian_new_year_holidays_and_a_moved_day_off_are_closed(russian):
    calendar = OrganisationCalendar(russian)
    assert all(D(2027, 1, day) in calendar for day in range(1, 9))
    # 2027: the day off of Saturday 2 January moves to Friday 5 November.
    assert D(2027, 11, 5) in calendar
    assert not calendar.is_working_day(D(2027, 11, 5))
    assert D(2027, 11, 3) not in calendar


def test_a_transferred_working_saturday_counts_as_a_working_day(russian):
    calendar = OrganisationCalendar(russian)
    saturday = D(2027, 2, 20)  # worked in place of Monday 22 February
    assert saturday.weekday() == 5 and calendar.is_working_day(saturday)
    assert not calendar.is_working_day(D(2027, 2, 22))


def test_holiday_names_follow_the_language(russian):
    calendar = OrganisationCalendar(russian)
    with translation.override("ru"):
        assert calendar.closure_name(D(2027, 6, 12)) == "День России"
    calendar = OrganisationCalendar(russian)
    with translation.override("en"):
        assert calendar.closure_name(D(2027, 6, 12)) == "Russia Day"


def test_english_bank_holidays_include_easter_monday_and_august(english):
    calendar = OrganisationCalendar(english)
    assert D(2027, 3, 29) in calendar  # Easter Monday
    assert D(2027, 8, 30) in calendar  # Summer bank holiday, England only


def test_the_organisations_own_table_closes_and_opens_days(russian):
    ClosureDate.objects.create(organisation=russian, date=D(2027, 3, 3), name_en="Training day")
    ClosureDate.objects.create(
        organisation=russian,
        date=D(2027, 11, 5),
        kind=ClosureDate.Kind.OPEN,
        name_en="Government moved the day off again",
    )
    calendar = OrganisationCalendar(russian)
    assert D(2027, 3, 3) in calendar and calendar.closure_name(D(2027, 3, 3)) == "Training day"
    assert D(2027, 11, 5) not in calendar and calendar.is_working_day(D(2027, 11, 5))


def test_the_schedule_skips_public_holidays(english):
    calendar = OrganisationCalendar(english)
    # Weekly on Mondays from 15 March 2027: Easter Monday 29 March is skipped.
    slots = next_slots(D(2027, 3, 8), interval=7, skip=calendar, count=3)
    assert slots == [D(2027, 3, 15), D(2027, 3, 22), D(2027, 4, 5)]


def test_ten_working_days_in_russia_step_over_the_may_holidays(russian):
    calendar = OrganisationCalendar(russian)
    # From Wednesday 28 April 2027: 1–3 May and 9–10 May are days off.
    assert calendar.add_working_days(D(2027, 4, 28), 10) == D(2027, 5, 14)
    assert calendar.working_days_between(D(2027, 4, 28), D(2027, 5, 14)) == 10


def test_an_unknown_region_or_country_is_refused_clearly(db):
    with pytest.raises(ValidationError, match="is not a region"):
        organisation = OrganisationFactory.build(slug="x", country="GB", holiday_region="XYZ")
        organisation.clean()
    organisation = OrganisationFactory.build(slug="y", country="ZZ")
    with pytest.raises(ValidationError, match="no public-holiday calendar"):
        organisation.clean()
    with pytest.raises(ValidationError, match="no public-holiday calendar"):
        OrganisationCalendar(organisation).is_working_day(D(2027, 1, 4))


def test_a_new_british_organisation_uses_englands_bank_holidays(db):
    organisation = organisation_create(name="Northern Service", country="GB")
    assert organisation.holiday_region == "ENG"
