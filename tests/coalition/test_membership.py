"""Coalitions and memberships: joining, leaving, consent to be named, each audited under the
member organisation; analysts made only for a coalition."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coalition.models import Coalition, Membership
from dvpp.models import AuditEvent, Role, User
from tests.answers import assert_redirects_to
from tests.factories import TEST_PASSWORD


@pytest.fixture
def coalition(db):
    return Coalition.objects.create(name="North", slug="north")


def test_join_name_and_leave_from_the_command_line_each_audited(org_a, coalition):
    call_command("coalition", "join", "--coalition", "north", "--organisation", "org-a")
    call_command("coalition", "name", "--coalition", "north", "--organisation", "org-a", "yes")
    membership = Membership.objects.get(coalition=coalition)
    assert membership.shown_by_name
    with pytest.raises(CommandError, match="already a member"):
        call_command("coalition", "join", "--coalition", "north", "--organisation", "org-a")
    call_command("coalition", "leave", "--coalition", "north", "--organisation", "org-a")
    membership.refresh_from_db()
    assert membership.left_on is not None
    events = AuditEvent.objects.filter(object_type="dvpp.membership", object_id=str(membership.pk))
    assert [e.what for e in events.order_by("pk")] == [
        f"coalition {coalition.pk}: joined",
        f"coalition {coalition.pk}: shown by name: True",
        f"coalition {coalition.pk}: left",
    ]
    assert {e.organisation_id for e in events} == {org_a.organisation.pk}
    # Joining again after leaving is a new membership.
    call_command("coalition", "join", "--coalition", "north", "--organisation", "org-a")
    assert Membership.objects.filter(coalition=coalition).count() == 2


def test_an_analyst_is_made_for_a_coalition_and_never_for_an_organisation(
    coalition, monkeypatch, org_a
):
    monkeypatch.setenv("STAFF_USER_PASSWORD", TEST_PASSWORD)
    call_command("create_staff_user", "ana", "--coalition", "north", "--role", "coalition_analyst")
    analyst = User.objects.get(username="ana")
    assert (analyst.coalition, analyst.organisation, analyst.role) == (
        coalition,
        None,
        Role.COALITION_ANALYST,
    )
    with pytest.raises(CommandError, match="no organisation"):
        call_command(
            "create_staff_user",
            "ana2",
            "--organisation",
            "org-a",
            "--coalition",
            "north",
            "--role",
            "coalition_analyst",
        )
    with pytest.raises(CommandError, match="only a coalition analyst"):
        call_command("create_staff_user", "fac", "--coalition", "north", "--role", "facilitator")
    assert not User.objects.filter(username__in=["ana2", "fac"]).exists()


def test_an_organisations_administrator_manages_only_its_own_membership(client_for, org_a, org_b):
    theirs = Membership.objects.get(organisation=org_b.organisation)
    ours = Membership.objects.get(organisation=org_a.organisation)
    client = client_for(org_a.administrator, reauthenticated=True)
    listing = client.get(reverse("admin:coalition_membership_changelist")).content.decode()
    assert "Organisation A" in listing and "Organisation B" not in listing
    response = client.get(reverse("admin:coalition_membership_change", args=[theirs.pk]))
    # As for a record that does not exist: back to the admin's index, which says so.
    assert_redirects_to(response, "admin:index")
    response = client.post(
        reverse("admin:coalition_membership_change", args=[ours.pk]), {"shown_by_name": "on"}
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.shown_by_name
    event = AuditEvent.objects.get(object_type="dvpp.membership", object_id=str(ours.pk))
    assert event.organisation_id == org_a.organisation.pk and "shown_by_name" in event.what
    # No coalition analyst can be made by an organisation's administrator.
    form = client.get(reverse("admin:dvpp_user_add")).content.decode()
    assert "coalition_analyst" not in form


def test_an_administrator_leaves_by_the_action_today_never_by_a_typed_date(client_for, org_a):
    ours = Membership.objects.get(organisation=org_a.organisation)
    client = client_for(org_a.administrator, reauthenticated=True)
    client.post(
        reverse("admin:coalition_membership_change", args=[ours.pk]),
        {"shown_by_name": "", "left_on": "1999-01-01"},
    )
    ours.refresh_from_db()
    assert ours.left_on is None  # the date is not theirs to type
    client.post(
        reverse("admin:coalition_membership_changelist"),
        {"action": "leave_today", "_selected_action": [ours.pk]},
    )
    ours.refresh_from_db()
    assert ours.left_on is not None
    assert AuditEvent.objects.filter(
        object_type="dvpp.membership", object_id=str(ours.pk), what__endswith="left"
    ).exists()


def test_a_membership_leaving_later_still_counts_and_cannot_be_joined_twice(org_a, coalition):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from coalition import figures
    from coalition import services as coalitions

    membership = coalitions.membership_join(coalition=coalition, organisation=org_a.organisation)
    Membership.objects.filter(pk=membership.pk).update(
        left_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    with pytest.raises(ValidationError):
        coalitions.membership_join(coalition=coalition, organisation=org_a.organisation)
    assert len(figures.current_members(coalition, timezone.localdate())) == 1
    overlapping = Membership(
        coalition=coalition, organisation=org_a.organisation, joined_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="already a member"):
        overlapping.full_clean()
