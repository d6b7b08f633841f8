"""Reads of the organisation's data-protection work: the lists of the manager's home cards."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dvpp.models import User
from participants.models import Participant

from .models import REQUIRED, ManConsent, Subject, SubjectRequest

# A request is "near its deadline" from this many days before it (and after it, until answered).
NEAR_DEADLINE_DAYS = 5


def cases_without_valid_consent(
    *, user: User, today: datetime.date | None = None
) -> QuerySet[Participant]:
    """Open cases with no consent valid today for a purpose every man must consent to
    (``REQUIRED``: taking part in the programme), by name: the warning of his case page,
    worked out by the database for the whole organisation."""
    today = today or timezone.localdate()
    missing = Q()
    for purpose in REQUIRED[Subject.MAN]:
        valid = ManConsent.objects.filter(
            participant=OuterRef("pk"), template__purpose=purpose, given_on__lte=today
        ).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        )
        missing |= ~Exists(valid)
    return (
        Participant.objects.for_user(user)
        .open()
        .filter(missing)
        .select_related("key_worker")
        .order_by("last_name", "first_name", "pk")
    )


def requests_near_deadline(
    *, user: User, today: datetime.date | None = None
) -> QuerySet[SubjectRequest]:
    """Men's requests about their data not answered yet whose legal deadline is at most
    :data:`NEAR_DEADLINE_DAYS` away or already passed, the nearest deadline first.

    A partner's requests are never here: they are reached from her record, behind the wall."""
    today = today or timezone.localdate()
    return (
        SubjectRequest.objects.for_user(user)
        .filter(
            subject=Subject.MAN,
            participant__isnull=False,
            answered_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=NEAR_DEADLINE_DAYS),
        )
        .select_related("participant")
        .order_by("due_on", "pk")
    )
