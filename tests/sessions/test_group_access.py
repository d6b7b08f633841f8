"""Every group and session URL, for every role, and across organisations."""

import pytest
from django.urls import reverse

from dvpp.models import Role
from sessions import services
from tests.access_matrix import CASE_TASK_ACCESS, GROUP_ACCESS, GROUP_PLACE_ACCESS, SESSION_ACCESS
from tests.answers import assert_answer
from tests.sessions.conftest import scheduled


@pytest.fixture
def group(make_group):
    return make_group(weeks_ago=1)


def _call(client, url_name, args, table):
    method, _roles = table[url_name]
    return getattr(client, method)(reverse(url_name, args=args))


# What each URL answers a user let in, sent with an empty form: its page, the page that says
# what was missing (a redirect to it), or 400 for a register tap that names no man.
EMPTY_FORM_ANSWERS = {
    "group_sessions:group": 200,
    "group_sessions:allocate": "group_sessions:group",
    "group_sessions:register": 200,
    "group_sessions:mark": 400,
    "group_sessions:note": 400,
    "group_sessions:all_present": "group_sessions:register",
    "group_sessions:cancel": "group_sessions:register",
    "group_sessions:move": "group_sessions:register",
    "group_sessions:move_enrolment": "group_sessions:group",
    "participants:task_done": "participants:detail",
}


def _expect(response, allowed, url_name):
    assert_answer(response, EMPTY_FORM_ANSWERS[url_name] if allowed else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(GROUP_ACCESS))
def test_group_pages_by_role(client_for, org_a, group, role, url_name):
    response = _call(client_for(org_a.for_role(role)), url_name, [group.public_id], GROUP_ACCESS)
    _expect(response, role in GROUP_ACCESS[url_name][1], url_name)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(SESSION_ACCESS))
def test_session_pages_by_role(client_for, org_a, group, role, url_name):
    session = scheduled(group)[0]
    response = _call(
        client_for(org_a.for_role(role)), url_name, [session.public_id], SESSION_ACCESS
    )
    _expect(response, role in SESSION_ACCESS[url_name][1], url_name)


@pytest.mark.parametrize("role", list(Role))
def test_moving_a_place_by_role(client_for, org_a, group, waiting_man, role):
    enrolment = services.enrolment_allocate(
        participant=waiting_man(), group=group, by=org_a.manager
    )
    response = _call(
        client_for(org_a.for_role(role)),
        "group_sessions:move_enrolment",
        [group.public_id, enrolment.pk],
        GROUP_PLACE_ACCESS,
    )
    name = "group_sessions:move_enrolment"
    _expect(response, role in GROUP_PLACE_ACCESS[name][1], name)


@pytest.mark.parametrize("role", list(Role))
def test_case_tasks_by_role(client_for, org_a, case_task, role):
    response = _call(
        client_for(org_a.for_role(role)),
        "participants:task_done",
        [case_task.participant.public_id, case_task.pk],
        CASE_TASK_ACCESS,
    )
    name = "participants:task_done"
    _expect(response, role in CASE_TASK_ACCESS[name][1], name)


@pytest.fixture
def case_task(org_a, waiting_man):
    from participants.services import case_task_raise

    task, _ = case_task_raise(participant=waiting_man(), kind="compliance_review", key="t")
    return task


@pytest.mark.parametrize("url_name", sorted(GROUP_ACCESS))
def test_another_organisations_group_is_not_found(client_for, org_b, group, url_name):
    response = _call(client_for(org_b.manager), url_name, [group.public_id], GROUP_ACCESS)
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", sorted(SESSION_ACCESS))
def test_another_organisations_session_is_not_found(client_for, org_b, group, url_name):
    session = scheduled(group)[0]
    response = _call(client_for(org_b.facilitator), url_name, [session.public_id], SESSION_ACCESS)
    assert response.status_code == 404


def test_another_organisations_task_is_not_found(client_for, org_b, case_task):
    response = _call(
        client_for(org_b.manager),
        "participants:task_done",
        [case_task.participant.public_id, case_task.pk],
        CASE_TASK_ACCESS,
    )
    assert response.status_code == 404


def test_group_list_shows_only_own_organisation(client_for, org_a, org_b, group):
    content = client_for(org_b.manager).get(reverse("group_sessions:index")).content.decode()
    assert group.name not in content
    content = client_for(org_a.manager).get(reverse("group_sessions:index")).content.decode()
    assert group.name in content


def test_group_list_query_count_does_not_grow_with_groups(
    client_for, org_a, make_group, django_assert_max_num_queries
):
    import datetime

    for hour in range(8, 20, 3):
        make_group(name=f"Group {hour}", start_time=datetime.time(hour, 0))
    client = client_for(org_a.manager)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("group_sessions:index"))
    assert response.content.decode().count("/groups/") >= 4
