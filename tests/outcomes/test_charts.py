"""The dashboard's charts show every month of the period (a month with no referral at zero),
carry a title and read in the page's language."""

import datetime
import json
import re

from django.urls import reverse
from django.utils import timezone

from outcomes import figures
from tests.factories import ParticipantFactory, ReferralFactory

TODAY = datetime.date(2026, 1, 15)


def test_every_month_of_the_period_is_there_and_empty_months_are_zero():
    counted = {datetime.date(2024, 11, 1): 3, datetime.date(2024, 12, 1): 2}
    months = figures.every_month(counted, None, None, TODAY)
    assert months[0] == datetime.date(2024, 11, 1)
    assert months[-1] == datetime.date(2026, 1, 1)
    assert len(months) == 15  # November 2024 to January 2026, none left out
    quarter = figures.every_month({}, datetime.date(2025, 7, 1), datetime.date(2025, 9, 30), TODAY)
    assert quarter == [datetime.date(2025, m, 1) for m in (7, 8, 9)]
    assert figures.every_month({}, None, None, TODAY) == []


def _chart(content: str) -> dict:
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', content)
    return json.loads(found.group(1))


def _refer(org_a, on):
    ReferralFactory(
        participant=ParticipantFactory(organisation=org_a.organisation),
        made_on=on,
        received_on=on,
    )


def test_the_referrals_chart_has_a_title_and_every_month_in_english(client_for, org_a):
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=100)).replace(day=1)
    _refer(org_a, first)
    _refer(org_a, today)
    programme = figures.programme_figures(org_a.organisation, figures.Filters())
    counts = [item["count"] for item in programme["referrals_by_month"]]
    assert counts[0] >= 1 and counts[-1] >= 1
    assert 0 in counts  # the months between, at zero
    assert len(counts) == (today.year - first.year) * 12 + today.month - first.month + 1

    chart = _chart(client_for(org_a.manager).get(reverse("outcomes:index")).content.decode())
    assert chart["referrals_title"] == "Referrals by month"
    assert chart["paired_title"].startswith("Before and after")
    assert chart["locale"] in {"en", "en-GB"}
    assert len(chart["months"]) == len(counts) == len(chart["referrals"])
    assert chart["months"][0] == first.strftime("%b %Y")


def test_the_charts_read_in_russian(client_for, org_a):
    _refer(org_a, timezone.localdate().replace(day=1) - datetime.timedelta(days=40))
    _refer(org_a, timezone.localdate())
    content = (
        client_for(org_a.manager)
        .get(reverse("outcomes:index"), HTTP_ACCEPT_LANGUAGE="ru")
        .content.decode()
    )
    chart = _chart(content)
    assert chart["locale"] == "ru"
    assert chart["referrals_title"] == "Направления по месяцам"
    assert chart["paired_title"].startswith("До и после")
    month_names = [
        "Янв",
        "Фев",
        "Мар",
        "Апр",
        "Май",
        "Июн",
        "Июл",
        "Авг",
        "Сен",
        "Окт",
        "Ноя",
        "Дек",
    ]
    assert all(label.split()[0] in month_names for label in chart["months"]), chart["months"]
    assert 'aria-label="Направления по месяцам"' in content
