"""Reads of cases that pages share: the list with its search and filters, and the case page."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from dvpp.lists import Latest, latest
from dvpp.models import User
from dvpp.search import search_terms

from .models import Assessment, CaseTask, Participant, Referral, ReferralSource, RiskFlag

DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")


def _as_date(text: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def participant_list(
    *,
    user: User,
    query: str = "",
    status: str = "",
    source: ReferralSource | None = None,
    key_worker: User | None = None,
    risk: str = "",
) -> QuerySet[Participant]:
    """The cases of the user's organisation, searched and filtered.

    The search matches every word of the query against the names (any script, ё = е), the
    previous surnames and the case reference; a word that is a date (31.12.1980 or 1980-12-31)
    matches the date of birth instead.
    """
    latest_source = Referral.objects.filter(participant=OuterRef("pk")).order_by(
        "-received_on", "-pk"
    )
    participants = (
        Participant.objects.for_user(user)
        .select_related("key_worker")
        .annotate(latest_source_id=Subquery(latest_source.values("source_id")[:1]))
    )
    for term in search_terms(query):
        born = _as_date(term)
        if born is not None:
            participants = participants.filter(date_of_birth=born)
        else:
            participants = participants.filter(search_text__contains=term)
    if status:
        participants = participants.filter(status=status)
    if source is not None:
        participants = participants.filter(referrals__source=source).distinct()
    if key_worker is not None:
        participants = participants.filter(key_worker=key_worker)
    if risk:
        participants = participants.filter(risk_level=risk)
    return participants.order_by("last_name", "first_name", "pk")


def open_risk_flags(*, user: User, mine: bool = False) -> QuerySet[RiskFlag]:
    """“Heightened risk: speak to the partner support team” flags no one has acknowledged yet,
    the oldest first; ``mine``: on the cases the user is key worker of. A flag carries no
    partner detail, so this list is the men's side's own."""
    flags = RiskFlag.objects.for_user(user).filter(acknowledged_at__isnull=True)
    if mine:
        flags = flags.filter(participant__key_worker=user)
    return flags.select_related("participant__key_worker").order_by("raised_on", "pk")


# The tasks that ask for a decision about the man's programme, not just an action.
DECISIONS = (
    CaseTask.Kind.COMPLIANCE_REVIEW,
    CaseTask.Kind.CONFIRM_COMPLETION,
    CaseTask.Kind.CONFIRM_NON_COMPLETION,
)


def open_case_tasks(
    *, user: User, mine: bool = False, decisions: bool = False
) -> QuerySet[CaseTask]:
    """Case tasks not done yet (compliance reviews, informing the referrer, confirming the end
    of a programme), the oldest first; ``mine``: on the cases the user is key worker of;
    ``decisions``: only those that wait for a decision (:data:`DECISIONS`)."""
    tasks = CaseTask.objects.for_user(user).filter(done_at__isnull=True)
    if mine:
        tasks = tasks.filter(participant__key_worker=user)
    if decisions:
        tasks = tasks.filter(kind__in=DECISIONS)
    return tasks.select_related("participant__key_worker").order_by("created_at", "pk")


def sources_by_id(user: User) -> dict[int, ReferralSource]:
    return {
        source.pk: source
        for source in ReferralSource.objects.filter(organisation_id=user.organisation_id)
    }


@dataclass
class CaseRecord:
    participant: Participant
    status_changes: list
    referrals: list[Referral]
    assessments: list[Assessment]
    notes: Latest
    tasks: list


NOTES_SHOWN = 20


def case_record(participant: Participant, *, all_notes: bool = False) -> CaseRecord:
    """Everything the case page shows, in a fixed number of queries: his latest notes (all of
    them with ``all_notes``)."""
    return CaseRecord(
        participant=participant,
        status_changes=list(participant.status_changes.select_related("changed_by")),
        referrals=list(
            participant.referrals.select_related("source", "created_by").prefetch_related(
                "offences"
            )
        ),
        assessments=list(
            participant.assessments.select_related("decided_by").prefetch_related(
                "appointments__assessor"
            )
        ),
        notes=latest(
            participant.notes.select_related("category", "author", "corrects").prefetch_related(
                "corrections"
            ),
            limit=NOTES_SHOWN,
            everything=all_notes,
        ),
        tasks=list(participant.tasks.select_related("done_by")),
    )
