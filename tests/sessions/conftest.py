import datetime

import pytest
from django.utils import timezone

from participants.models import Status
from sessions import services
from sessions.curriculum import programme_install_standard
from tests.factories import ParticipantFactory, ReferralFactory

TODAY = timezone.localdate()


@pytest.fixture
def programme(org_a):
    return programme_install_standard(org_a.organisation)


@pytest.fixture
def make_group(org_a, programme):
    """A group whose first session is ``weeks_ago`` weeks before today (on today's weekday)."""

    def make(*, weeks_ago=0, facilitator=None, start_time=datetime.time(18, 0), **extra):
        # Today when the group is made (a test may have moved the clock), not when tests loaded.
        start = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
        data = {
            "programme": programme,
            "name": extra.pop("name", f"Group {weeks_ago}"),
            "facilitator": facilitator or org_a.facilitator,
            "co_facilitator": extra.pop("co_facilitator", None),
            "venue": "Room 1",
            "weekday": start.weekday(),
            "start_time": start_time,
            "duration_minutes": 150,
            "start_date": start,
            "capacity": 12,
            "intake": "rolling",
            **extra,
        }
        return services.group_create(organisation=org_a.organisation, by=org_a.manager, data=data)

    return make


@pytest.fixture
def waiting_man(org_a):
    def make(**fields):
        man = ParticipantFactory(
            organisation=org_a.organisation, status=Status.WAITING_LIST, **fields
        )
        ReferralFactory(participant=man)
        return man

    return make


def scheduled(group):
    return list(group.sessions.filter(status="scheduled").order_by("date").select_related("theme"))


@pytest.fixture
def placed(org_a, make_group, waiting_man):
    """A group that started 30 weeks ago and men placed in it from its first session."""

    def place(count=1, weeks_ago=30, **group_fields):
        group = make_group(weeks_ago=weeks_ago, **group_fields)
        first = scheduled(group)[0]
        men = []
        for _ in range(count):
            man = waiting_man()
            services.enrolment_allocate(
                participant=man, group=group, by=org_a.manager, first_session=first
            )
            men.append(man)
        return group, men

    return place
