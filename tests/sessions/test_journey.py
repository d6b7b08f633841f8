"""A man's journey through a group (his first session and as many as he still needs) is found by
searching the group's sessions in date order, not by walking them: the same answer as the walk,
for years of a rolling group's sessions."""

import datetime
import random
from types import SimpleNamespace

from sessions.schedule import journey_sessions, session_keys


def _walk(enrolment, group_sessions):
    needed = enrolment.group.programme.session_count - enrolment.prior_sessions
    start = enrolment.first_session
    key = (start.date, start.start_time)
    return [s for s in group_sessions if (s.date, s.start_time) >= key][:needed]


def test_the_search_finds_what_the_walk_found():
    rng = random.Random(14)
    day = datetime.date(2021, 1, 4)
    times = [datetime.time(10), datetime.time(18)]
    # Five years of a weekly group, some weeks with a second (moved) session on the same day.
    group_sessions = []
    for week in range(260):
        on = day + datetime.timedelta(weeks=week)
        for at in times[: rng.choice([1, 1, 1, 2])]:
            group_sessions.append(SimpleNamespace(date=on, start_time=at))
    keys = session_keys(group_sessions)
    for _ in range(500):
        enrolment = SimpleNamespace(
            group=SimpleNamespace(programme=SimpleNamespace(session_count=30)),
            # Above 30 too: a man moved after his journey ended has more done than it needs.
            prior_sessions=rng.randint(0, 40),
            first_session=rng.choice(group_sessions),
        )
        assert journey_sessions(enrolment, group_sessions, keys) == _walk(enrolment, group_sessions)
        assert journey_sessions(enrolment, group_sessions) == _walk(enrolment, group_sessions)
