"""Partners for one user, built on the core's access rules (dvpp.access, Partner.for_user)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from dvpp.models import User

from .models import Partner


def get_partner_for_user(user: User, public_id) -> Partner:
    """A partner by public id, for a partner support worker of her organisation; 404 for
    anyone else (the wall: her existence is not even confirmed)."""
    queryset = Partner.objects.for_user(user).select_related("participant", "worker")
    try:
        return queryset.get(public_id=public_id)
    except (Partner.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
