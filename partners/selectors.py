"""Reads of the partner support service: lists for the worker's day, one partner's record."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from dvpp.models import User
from dvpp.search import search_terms
from participants.models import Referral
from sessions.calendar import OrganisationCalendar

from .models import CheckIn, ContactAttempt, Partner, PartnerTask


def partner_list(*, user: User, query: str = "", mine: bool = False) -> QuerySet[Partner]:
    reached = ContactAttempt.objects.filter(
        partner=OuterRef("pk"), outcome=ContactAttempt.Outcome.REACHED
    )
    next_due = CheckIn.objects.filter(partner=OuterRef("pk")).order_by("-on", "-pk")
    partners = (
        Partner.objects.for_user(user)
        .select_related("participant", "worker")
        .annotate(contacted=Exists(reached), next_due=Subquery(next_due.values("next_due")[:1]))
    )
    for term in search_terms(query):
        partners = partners.filter(search_text__contains=term)
    if mine:
        partners = partners.filter(worker=user)
    return partners.order_by("last_name", "first_name")


def awaiting_contact(user: User, today: datetime.date | None = None) -> list[Partner]:
    """Partners not yet reached, past the organisation's limit of working days since the man's
    referral was received."""
    today = today or timezone.localdate()
    limit = user.organisation.partner_contact_working_days
    calendar = OrganisationCalendar(user.organisation)
    first_referral = Referral.objects.filter(participant=OuterRef("participant")).order_by(
        "received_on"
    )
    candidates = (
        partner_list(user=user)
        .filter(contacted=False)
        .exclude(state__in=[Partner.State.DECLINED, Partner.State.CLOSED])
        .annotate(referred_on=Subquery(first_referral.values("received_on")[:1]))
    )
    waiting = []
    for partner in candidates:
        if partner.referred_on is None:
            continue
        partner.working_days = calendar.working_days_between(partner.referred_on, today)
        if partner.working_days > limit:
            waiting.append(partner)
    return waiting


def overdue_checkins(user: User, *, mine: bool = False) -> list[Partner]:
    """Engaged partners whose next check-in date has passed, or who never had one."""
    today = timezone.localdate()
    partners = partner_list(user=user, mine=mine).filter(state=Partner.State.ENGAGED)
    return [p for p in partners if p.next_due is None or p.next_due < today]


def open_tasks(user: User) -> QuerySet[PartnerTask]:
    return (
        PartnerTask.objects.filter(partner__in=Partner.objects.for_user(user), done_at__isnull=True)
        .select_related("partner")
        .order_by("due_on")
    )


def days_to_first_contact(partner: Partner) -> int | None:
    first = partner.attempts.filter(outcome=ContactAttempt.Outcome.REACHED).order_by("at").first()
    referral = (
        Referral.objects.filter(participant_id=partner.participant_id)
        .order_by("received_on")
        .first()
    )
    if first is None or referral is None:
        return None
    return (timezone.localtime(first.at).date() - referral.received_on).days
