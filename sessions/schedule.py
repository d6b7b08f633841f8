"""Schedule arithmetic that writes nothing and reads nothing by query: the next session dates
after a day, and which of a group's sessions make up a man's journey in it.

Both :mod:`sessions.services` (building and moving schedules, the register's rules) and
:mod:`sessions.selectors` (the register, a man's progress) use it, so it imports neither."""

import bisect
import datetime
from collections.abc import Container

from .models import Enrolment, Session


def next_slots(
    after: datetime.date, *, interval: int, skip: Container[datetime.date], count: int
) -> list[datetime.date]:
    """The next ``count`` session dates after a date, one interval apart, skipping closures."""
    slots: list[datetime.date] = []
    day = after
    while len(slots) < count:
        day += datetime.timedelta(days=interval)
        if day not in skip:
            slots.append(day)
    return slots


def session_keys(group_sessions: list[Session]) -> list[tuple]:
    """The sort keys of a group's sessions in date order, for :func:`journey_sessions`."""
    return [(s.date, s.start_time) for s in group_sessions]


def journey_sessions(
    enrolment: Enrolment, group_sessions: list[Session], keys: list[tuple] | None = None
) -> list[Session]:
    """The sessions of a man's place in a group: from his first session, as many as he still
    needs. ``group_sessions`` are the group's scheduled sessions in date order; ``keys`` their
    :func:`session_keys`, when one list serves many men (a rolling group's years of sessions
    are then searched, not walked, for each of them)."""
    needed = enrolment.group.programme.session_count - enrolment.prior_sessions
    start = enrolment.first_session
    keys = session_keys(group_sessions) if keys is None else keys
    first = bisect.bisect_left(keys, (start.date, start.start_time))
    # Sliced as the walk did, so that a count below zero (more sessions done before than the
    # programme has) gives the same answer as before.
    return group_sessions[first:][:needed]
