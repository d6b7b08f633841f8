"""Who may open which page: every page of the project so far, for every role."""

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import reverse

from dvpp.access import Area, get_for_user, user_areas
from dvpp.models import Role, User
from dvpp.roles import ROLE_PERMISSIONS, group_name
from tests.access_matrix import (
    CASE_ACCESS,
    CASE_CONSENT_ACCESS,
    CASE_FLAG_ACCESS,
    CASE_TASK_ACCESS,
    DESTRUCTION_ACCESS,
    EXPORT_ACCESS,
    GROUP_ACCESS,
    GROUP_PLACE_ACCESS,
    HANDOUT_ACCESS,
    LOOKUP_ENTRY_ACCESS,
    LOOKUP_LIST_ACCESS,
    PACKAGE_ACCESS,
    PAGE_ACCESS,
    PARTNER_ACCESS,
    PARTNER_ITEM_ACCESS,
    PUBLIC,
    SECOND_FACTOR_STEPS,
    SESSION_ACCESS,
    SURVEY_ACCESS,
    F,
    M,
    P,
)
from tests.factories import UserFactory


@pytest.mark.parametrize("url_name", sorted(PAGE_ACCESS))
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(PAGE_ACCESS))
def test_each_role_opens_only_its_own_pages(client_for, org_a, role, url_name):
    # Confirmed recently, as exports ask: this test is about who may open a page at all.
    response = client_for(org_a.for_role(role), reauthenticated=True).get(reverse(url_name))
    expected = 200 if role in PAGE_ACCESS[url_name] else 403
    assert response.status_code == expected


def test_only_partner_support_workers_hold_the_partner_area():
    holders = {role for role in Role if Area.PARTNERS in user_areas(_user(role))}
    assert holders == {Role.PARTNER_SUPPORT}


def _user(role: Role) -> User:
    return User(username="x", role=role, organisation_id=1, is_active=True)


def test_superuser_without_role_is_not_let_through_the_wall(client_for, db):
    root = UserFactory(role="", organisation=None, is_superuser=True, is_staff=True)
    client = client_for(root)
    assert client.get(reverse("partners:index")).status_code == 403
    assert client.get(reverse("participants:index")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200


def test_inactive_user_has_no_area(org_a):
    org_a.manager.is_active = False
    assert user_areas(org_a.manager) == frozenset()


def test_facilitator_is_kept_out_of_the_admin_site(client_for, org_a):
    response = client_for(org_a.facilitator).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client_for(org_a.facilitator).get(reverse("admin:dvpp_user_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize("role", [F, P, M])
def test_only_administrators_work_in_the_admin_site(client_for, org_a, role):
    user = org_a.for_role(role)
    assert not user.is_staff
    assert client_for(user).get(reverse("admin:index")).status_code == 302


def test_administrator_sees_only_own_organisation_in_admin(client_for, org_a, org_b):
    client = client_for(org_a.administrator, reauthenticated=True)
    response = client.get(reverse("admin:dvpp_user_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert org_a.manager.username in content
    assert org_b.manager.username not in content
    other = client.get(reverse("admin:dvpp_user_change", args=[org_b.manager.pk]))
    assert other.status_code == 302  # the admin's "does not exist" redirect, not the record
    organisations = client.get(reverse("admin:dvpp_organisation_changelist")).content.decode()
    assert "Organisation A" in organisations
    assert "Organisation B" not in organisations


def _admin_user_form(user, *, organisation, role) -> dict:
    return {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": "",
        "email": user.email,
        "organisation": organisation.pk,
        "role": role,
        "is_active": "on",
    }


def test_administrator_cannot_move_a_user_to_another_organisation(client_for, org_a, org_b):
    client = client_for(org_a.administrator, reauthenticated=True)
    user = org_a.facilitator
    response = client.post(
        reverse("admin:dvpp_user_change", args=[user.pk]),
        # forged: org B is not among the choices
        _admin_user_form(user, organisation=org_b.organisation, role=Role.MANAGER),
    )
    assert response.status_code == 400  # refused whole, and audited
    user.refresh_from_db()
    assert user.organisation == org_a.organisation
    assert user.role != Role.MANAGER
    assert user.role == Role.FACILITATOR


def test_administrator_changing_a_role_changes_the_group(client_for, org_a):
    user = org_a.facilitator
    response = client_for(org_a.administrator, reauthenticated=True).post(
        reverse("admin:dvpp_user_change", args=[user.pk]),
        _admin_user_form(user, organisation=org_a.organisation, role=Role.MANAGER),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.role == Role.MANAGER
    assert [g.name for g in user.groups.all()] == [group_name(Role.MANAGER)]


def test_get_for_user_answers_404_for_another_organisations_object(org_a, org_b):
    queryset = User.objects.all()
    assert get_for_user(queryset, org_a.manager, pk=org_a.facilitator.pk) == org_a.facilitator
    with pytest.raises(Http404):
        get_for_user(queryset, org_a.manager, pk=org_b.facilitator.pk)


def test_role_groups_hold_exactly_the_permissions_of_the_role_table(db):
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=group_name(role))
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(codes)


def test_staff_list_shows_only_own_organisation(client_for, org_a, org_b):
    content = client_for(org_a.manager).get(reverse("staff_list")).content.decode()
    assert org_a.facilitator.username in content
    assert org_b.facilitator.username not in content


def test_staff_list_query_count_does_not_grow_with_staff(
    client_for, org_a, django_assert_max_num_queries
):
    UserFactory.create_batch(20, organisation=org_a.organisation)
    client = client_for(org_a.manager)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("staff_list"))
    assert response.content.decode().count("<tr>") == 1 + 24


def _named_routes(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_routes(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def test_every_url_is_in_the_access_matrix():
    """A page added without deciding who may open it fails here, not in production."""
    from django.urls import get_resolver

    routes = {
        name for name in _named_routes(get_resolver().url_patterns) if not name.startswith("admin:")
    }
    known = {
        *PAGE_ACCESS,
        *CASE_ACCESS,
        *CASE_TASK_ACCESS,
        *CASE_CONSENT_ACCESS,
        *DESTRUCTION_ACCESS,
        *LOOKUP_LIST_ACCESS,
        *LOOKUP_ENTRY_ACCESS,
        *GROUP_ACCESS,
        *GROUP_PLACE_ACCESS,
        *SESSION_ACCESS,
        *PUBLIC,
        *PARTNER_ACCESS,
        *PARTNER_ITEM_ACCESS,
        *CASE_FLAG_ACCESS,
        *EXPORT_ACCESS,
        *SURVEY_ACCESS,
        *PACKAGE_ACCESS,
        *HANDOUT_ACCESS,
        *SECOND_FACTOR_STEPS,
    }
    unknown = routes - known
    assert not unknown, f"add these to tests/access_matrix.py: {sorted(unknown)}"
