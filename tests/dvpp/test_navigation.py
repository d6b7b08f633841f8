"""Each role's home page and navigation show what it may use, and nothing else."""

import pytest
from django.urls import reverse

from dvpp.models import Role
from tests.factories import UserFactory

NAV_BY_ROLE = {
    Role.FACILITATOR: {"home", "cases", "groups"},
    Role.PARTNER_SUPPORT: {"home", "cases", "partners"},
    Role.MANAGER: {"home", "cases", "groups", "outcomes", "evidence", "staff", "audit"},
    Role.ADMINISTRATOR: {"home", "staff", "admin"},
    Role.COALITION_ANALYST: {"home", "coalition"},
}
ALL_NAV = set().union(*NAV_BY_ROLE.values())


@pytest.mark.parametrize("role", list(Role))
def test_home_page_is_the_roles_own(client_for, org_a, role):
    response = client_for(org_a.for_role(role)).get(reverse("home"))
    assert response.status_code == 200
    assert f'data-role="{role.value}"' in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_each_role_only_its_own_entries(client_for, org_a, role):
    content = client_for(org_a.for_role(role)).get(reverse("home")).content.decode()
    for key in NAV_BY_ROLE[role]:
        assert f'data-nav="{key}"' in content
    for key in ALL_NAV - NAV_BY_ROLE[role]:
        assert f'data-nav="{key}"' not in content


def test_user_without_role_is_told_to_ask_for_one(client_for, db):
    content = client_for(UserFactory(role="", organisation=None)).get(reverse("home"))
    assert 'data-role="none"' in content.content.decode()


def test_home_query_count_is_small(client_for, org_a, django_assert_max_num_queries):
    client = client_for(org_a.manager)
    # The session and user, then one query for each of the manager's four home cards (with
    # many rows, tests/dvpp/test_home_cards.py).
    with django_assert_max_num_queries(9):
        client.get(reverse("home"))
