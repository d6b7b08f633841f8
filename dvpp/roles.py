"""What each role is: the Django group it maps to and the model permissions that group holds.

This table is the one source for the groups; ``sync_role_groups`` makes the database match it
after every ``migrate``. Which *pages* a role may open is decided in :mod:`dvpp.access`.
Later apps add their model permissions here (partner permissions go to the partner support
role only).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.FACILITATOR: frozenset(),
    Role.COALITION_ANALYST: frozenset(),
    Role.PARTNER_SUPPORT: frozenset(),
    Role.MANAGER: frozenset({"dvpp.view_user"}),
    Role.ADMINISTRATOR: frozenset(
        {
            "dvpp.view_organisation",
            "dvpp.change_organisation",
            "coalition.view_membership",
            "coalition.change_membership",
            "dvpp.view_user",
            "dvpp.add_user",
            "dvpp.change_user",
            # Case content is not admin work (DESIGN.md, roles): an administrator may find a
            # man's record, but neither change it nor read his case notes, referrals (their
            # reasons and the referrer's words) or assessments.
            "participants.view_participant",
            "participants.view_referralsource",
            "participants.add_referralsource",
            "participants.change_referralsource",
            "participants.view_casenotecategory",
            "participants.add_casenotecategory",
            "participants.change_casenotecategory",
            "group_sessions.view_programme",
            "group_sessions.add_programme",
            "group_sessions.change_programme",
            "group_sessions.view_theme",
            "group_sessions.add_theme",
            "group_sessions.change_theme",
            "dvpp.view_closuredate",
            "dvpp.add_closuredate",
            "dvpp.change_closuredate",
            "dvpp.delete_closuredate",
            "group_sessions.view_group",
            "group_sessions.change_group",
            "group_sessions.view_session",
            "consent.view_consenttemplate",
            "consent.add_consenttemplate",
            "consent.change_consenttemplate",
            "evidence.view_incidentcategory",
            "evidence.add_incidentcategory",
            "evidence.change_incidentcategory",
        }
    ),
}


def group_name(role: Role | str) -> str:
    return f"role:{Role(role).value}"


@transaction.atomic
def sync_role_groups() -> None:
    """Create one group per role holding exactly the permissions the table gives it."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for code in sorted(codes):
            app_label, codename = code.split(".", 1)
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, *, apps=global_apps, using="default", **kwargs) -> None:
    # post_migrate fires once per app; permissions of apps later in INSTALLED_APPS would not
    # exist yet on the first call, so create them all first (it is idempotent) and sync once.
    if sender.label != "dvpp":
        return
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups()
