"""The organisation rule of :mod:`dvpp.access`: a user sees only their own organisation's rows.

Here, apart from the role rule, because the models' querysets use it and :mod:`dvpp.access`
imports the models; :mod:`dvpp.access` names all of it again, and is where callers import it.
"""

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from .models import User

ModelT = TypeVar("ModelT", bound=models.Model)
QuerySetT = TypeVar("QuerySetT", bound=models.QuerySet)


def scope_to_organisation(queryset: QuerySetT, user: "User") -> QuerySetT:
    """Only the rows of the user's own organisation; nothing at all for a user without one."""
    if not (user.is_authenticated and user.organisation_id):
        return queryset.none()
    return queryset.filter(organisation_id=user.organisation_id)


def get_for_user(queryset: models.QuerySet[ModelT], user: "User", **lookup) -> ModelT:
    """One object of the user's organisation, or 404: another organisation's id looks unknown."""
    try:
        return scope_to_organisation(queryset, user).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        # A malformed id is as unknown as another organisation's.
        raise Http404 from None


class OrganisationScopedQuerySet(models.QuerySet):
    """Base queryset for every case model: ``Model.objects.for_user(user)`` in list views.

    A model whose rows carry more than organisation data (partners) overrides ``for_user`` to add
    its role rule, still calling :func:`scope_to_organisation` first.
    """

    def for_user(self, user: "User") -> "OrganisationScopedQuerySet":
        return scope_to_organisation(self, user)
