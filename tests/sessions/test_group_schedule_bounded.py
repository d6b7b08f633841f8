"""A rolling group adds cycle after cycle for years: its page shows the last four weeks of the
schedule and what follows (the next 12 sessions), the whole schedule when asked (issue 14)."""

import datetime
import re

from django.urls import reverse

from sessions.views import SCHEDULE_AHEAD, SCHEDULE_WEEKS_BACK

from .conftest import TODAY, scheduled


def _dates(response) -> list[str]:
    schedule = response.content.decode().split('data-testid="schedule"')[1].split("</ol>")[0]
    return re.findall(r'href="/groups/sessions/([0-9a-f-]+)/"', schedule)


def test_the_group_page_shows_recent_and_coming_sessions_and_the_rest_when_asked(
    client_for, org_a, make_group
):
    group = make_group(weeks_ago=10)  # 30 weekly sessions: ten held, twenty to come
    sessions = scheduled(group)
    since = TODAY - datetime.timedelta(weeks=SCHEDULE_WEEKS_BACK)
    held = [str(s.public_id) for s in sessions if since <= s.date < TODAY]
    coming = [str(s.public_id) for s in sessions if s.date >= TODAY][:SCHEDULE_AHEAD]
    expected = held + coming
    client = client_for(org_a.facilitator)
    page = client.get(reverse("group_sessions:group", args=[group.public_id]))
    assert _dates(page) == expected
    # Today's session is on the first screen, not at the bottom of years of history.
    assert str(next(s.public_id for s in sessions if s.date == TODAY)) in _dates(page)
    assert 'data-testid="whole-schedule"' in page.content.decode()
    whole = client.get(reverse("group_sessions:group", args=[group.public_id]), {"schedule": "all"})
    assert _dates(whole) == [
        str(s.public_id) for s in group.sessions.order_by("date", "start_time")
    ]
    assert 'data-testid="whole-schedule"' not in whole.content.decode()
