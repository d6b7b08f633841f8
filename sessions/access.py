"""Groups and sessions for one user, built on the core's access rules (dvpp.access)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from dvpp.access import get_for_user
from dvpp.models import User

from .models import Group, Session


def get_group_for_user(user: User, public_id) -> Group:
    """A group by its public id, or 404 (also for another organisation's group)."""
    queryset = Group.objects.select_related("programme", "facilitator", "co_facilitator")
    return get_for_user(queryset, user, public_id=public_id)


def get_session_for_user(user: User, public_id) -> Session:
    """A group session by its public id, or 404 (sessions belong to their group's organisation)."""
    if not (user.is_authenticated and user.organisation_id):
        raise Http404
    queryset = Session.objects.select_related("group__programme", "theme")
    try:
        return queryset.get(public_id=public_id, group__organisation_id=user.organisation_id)
    except (Session.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
