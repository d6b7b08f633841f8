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


def test_an_organisations_time_zone_lasts_for_its_request_only(client_for, org_a):
    """A page of an organisation in Yekaterinburg shows its times there, and the zone ends with
    the request: what runs next in the thread (here the test) is back in the default zone."""
    import zoneinfo

    from django.urls import reverse
    from django.utils import timezone

    org_a.organisation.time_zone = "Asia/Yekaterinburg"
    org_a.organisation.save(update_fields=["time_zone"])
    before = str(timezone.get_current_timezone())
    response = client_for(org_a.manager).get(reverse("home"))
    assert response.status_code == 200
    assert response.wsgi_request.user.organisation.time_zone == "Asia/Yekaterinburg"
    assert str(timezone.get_current_timezone()) == before != "Asia/Yekaterinburg"
    assert zoneinfo.ZoneInfo(before) == timezone.get_default_timezone()
