"""Who may reach a package or a handout: the library's part of :mod:`dvpp.access`.

* A **package** is seen by the managers of the organisations that are *current* members of its
  coalition (Area.LIBRARY, checked by the view). Anyone else gets 404, as for another
  organisation's record: a package's existence is not revealed outside its coalition.
* A **handout** belongs to its programme's organisation: its staff who work with groups
  (Area.GROUPS) download it; anyone else gets 404. It is never at a public address.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coalition.models import Membership
from dvpp.models import User
from sessions.models import Handout

from .models import Package


def current_memberships(organisation_id: int | None) -> QuerySet[Membership]:
    """The organisation's memberships that have not ended (as ``Membership.is_current``)."""
    return Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()),
        organisation_id=organisation_id,
    )


def current_coalition_ids(user: User) -> list[int]:
    if not (user.is_authenticated and user.organisation_id):
        return []
    return list(current_memberships(user.organisation_id).values_list("coalition_id", flat=True))


def packages_for_user(user: User, coalition_ids: list[int] | None = None) -> QuerySet[Package]:
    """Every version of every package of the user's current coalitions."""
    if coalition_ids is None:
        coalition_ids = current_coalition_ids(user)
    return Package.objects.filter(coalition_id__in=coalition_ids)


def get_package_for_user(
    user: User, key, version: int, *, queryset: QuerySet[Package] | None = None
) -> Package:
    """One version of a package of the user's coalitions, or 404."""
    if queryset is None:
        queryset = Package.objects.all()
    coalition_ids = current_coalition_ids(user)
    queryset = queryset.filter(coalition_id__in=coalition_ids).select_related(
        "coalition", "organisation"
    )
    try:
        return queryset.get(key=key, version=version)
    except (Package.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def get_handout_for_user(user: User, handout_id: int) -> Handout:
    """A handout of a programme of the user's organisation, or 404."""
    if not (user.is_authenticated and user.organisation_id):
        raise Http404
    try:
        return Handout.objects.select_related("theme__programme").get(
            pk=handout_id, theme__programme__organisation_id=user.organisation_id
        )
    except (Handout.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
