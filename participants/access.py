"""The men's records for one user, built on the core's access rules (dvpp.access)."""

from dvpp.access import get_for_user
from dvpp.models import User

from .models import Participant


def get_participant_for_user(user: User, public_id) -> Participant:
    """A man's case by its public id, or 404 (also for another organisation's case)."""
    queryset = Participant.objects.select_related("key_worker", "risk_set_by")
    return get_for_user(queryset, user, public_id=public_id)
