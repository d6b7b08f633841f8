"""Reads of the partner support service: lists for the worker's day, one partner's record.

Time to first contact, one definition for her page, the awaiting-contact list and the figures:
the working days from the day she was passed to partner support (``Partner.referred_on``, the
referral that brought her to the service) to the first time a worker spoke with her.

Every list here is worked out by the database and read a page at a time: nothing loads all of an
organisation's partners, and no list reads (or decrypts) her contact details."""

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dvpp.calendar import OrganisationCalendar
from dvpp.models import User
from dvpp.search import search_terms

from .models import CheckIn, ContactAttempt, MaracReferral, Partner, PartnerTask, SafetyPlan

# Encrypted at rest: no list needs them, so no list decrypts them.
CONTACT_DETAILS = ("phone", "email", "address", "safe_contact_notes")

# What the list can be narrowed to besides search and "mine": the lists of the worker's day, each
# also a card of her home page (partners.home), which counts the very list shown here.
OVERDUE, AWAITING, TASKS = "overdue", "awaiting", "tasks"
DUE_TODAY, MARAC_DUE, PLAN_REVIEW = "due_today", "marac", "plan_review"
SHOWS = (OVERDUE, DUE_TODAY, AWAITING, TASKS, MARAC_DUE, PLAN_REVIEW)


def partner_list(
    *,
    user: User,
    query: str = "",
    mine: bool = False,
    show: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Partner]:
    """The organisation's partners, by name, searched on the plain ``search_text`` column, with
    the man each is the partner of and her support worker.

    ``show`` narrows it to the partners whose check-in is overdue or due today, who await first
    contact, who have an open task, whose MARAC referral is due or whose safety plan is due for
    review, in that list's order (most urgent first)."""
    return _partners(user=user, query=query, mine=mine, show=show, today=today).select_related(
        "participant", "worker"
    )


def _partners(
    *,
    user: User,
    query: str,
    mine: bool,
    show: str,
    today: datetime.date | None,
    calendar: OrganisationCalendar | None = None,
) -> QuerySet[Partner]:
    today = today or timezone.localdate()
    next_due = CheckIn.objects.filter(partner=OuterRef("pk")).order_by("-on", "-pk")
    # His reference and her worker tell apart two partners of the same name, in every list.
    partners = (
        Partner.objects.for_user(user)
        .defer(*CONTACT_DETAILS)
        .select_related("participant", "worker")
        .annotate(next_due=Subquery(next_due.values("next_due")[:1]))
    )
    for term in search_terms(query):
        partners = partners.filter(search_text__contains=term)
    if mine:
        partners = partners.filter(worker=user)
    order = ["last_name", "first_name", "pk"]
    if show == OVERDUE:
        partners = _overdue(partners, today)
        order = [F("next_due").asc(nulls_first=True), *order]
    elif show == AWAITING:
        partners = _awaiting(partners, user, today, calendar)
        order = ["referred_on", *order]
    elif show == DUE_TODAY:
        partners = partners.filter(state=Partner.State.ENGAGED, next_due=today)
    elif show == TASKS:
        open_task = PartnerTask.objects.filter(partner=OuterRef("pk"), done_at__isnull=True)
        partners = partners.filter(Exists(open_task))
    elif show == MARAC_DUE:
        partners = _marac_due(partners, today)
        order = ["marac_raised_at", *order]
    elif show == PLAN_REVIEW:
        partners = _plan_review_due(partners, today)
        order = ["review_on", *order]
    return partners.order_by(*order)


def _marac_due(partners: QuerySet[Partner], today: datetime.date) -> QuerySet[Partner]:
    """Partners with an open MARAC referral (no outcome yet) that is still to be sent, or whose
    meeting day has come: the oldest raised first."""
    due = MaracReferral.objects.filter(partner=OuterRef("pk"), outcome="").filter(
        Q(referred_on__isnull=True) | Q(meeting_on__lte=today)
    )
    return (
        partners.filter(erased_at__isnull=True)
        .annotate(marac_raised_at=Subquery(due.order_by("raised_at").values("raised_at")[:1]))
        .filter(marac_raised_at__isnull=False)
    )


def _plan_review_due(partners: QuerySet[Partner], today: datetime.date) -> QuerySet[Partner]:
    """Partners still supported whose current safety plan (its latest version) was to be
    reviewed today or before: the longest overdue first."""
    current = SafetyPlan.objects.filter(partner=OuterRef("pk")).order_by("-version")
    return (
        partners.exclude(state__in=[Partner.State.DECLINED, Partner.State.CLOSED])
        .annotate(review_on=Subquery(current.values("review_on")[:1]))
        .filter(review_on__lte=today)
    )


def _overdue(partners: QuerySet[Partner], today: datetime.date) -> QuerySet[Partner]:
    """Engaged partners whose next check-in date has passed, or who never had one."""
    return partners.filter(state=Partner.State.ENGAGED).filter(
        Q(next_due__isnull=True) | Q(next_due__lt=today)
    )


def _awaiting(
    partners: QuerySet[Partner],
    user: User,
    today: datetime.date,
    calendar: OrganisationCalendar | None = None,
) -> QuerySet[Partner]:
    """Partners not yet reached, passed to partner support (``referred_on``) more than the
    organisation's limit of working days before ``today``.

    The calendar gives the last day from which the limit has been passed, once; the database
    compares each referral with it."""
    limit = user.organisation.partner_contact_working_days
    calendar = calendar or OrganisationCalendar(user.organisation)
    last_day = calendar.working_days_before(today, limit + 1)
    # Not in every list's columns: PostgreSQL would hash every first contact of the installation
    # to answer it for a page of 25.
    reached = ContactAttempt.objects.filter(
        partner=OuterRef("pk"), outcome=ContactAttempt.Outcome.REACHED
    )
    return (
        partners.filter(~Exists(reached))
        .exclude(state__in=[Partner.State.DECLINED, Partner.State.CLOSED])
        .filter(referred_on__lte=last_day)
    )


def awaiting_contact(
    user: User, today: datetime.date | None = None, *, mine: bool = False, limit: int | None = None
) -> list[Partner]:
    """Partners not yet reached past the organisation's limit of working days since they were
    passed to partner support, the longest waiting first (at most ``limit`` of them), each with
    ``working_days`` since then."""
    today = today or timezone.localdate()
    calendar = OrganisationCalendar(user.organisation)
    partners = _partners(
        user=user, query="", mine=mine, show=AWAITING, today=today, calendar=calendar
    )
    waiting = list(partners if limit is None else partners[:limit])
    for partner in waiting:
        partner.working_days = calendar.working_days_between(partner.referred_on, today)
    return waiting


def overdue_checkins(
    user: User,
    *,
    mine: bool = False,
    today: datetime.date | None = None,
    limit: int | None = None,
) -> list[Partner]:
    """Engaged partners whose next check-in date has passed, or who never had one: never had
    one first, then the longest overdue (at most ``limit`` of them)."""
    partners = _partners(user=user, query="", mine=mine, show=OVERDUE, today=today)
    return list(partners if limit is None else partners[:limit])


def due_on(user: User, day: datetime.date, *, mine: bool = False) -> list[Partner]:
    """Partners whose next check-in falls on ``day``."""
    return list(_partners(user=user, query="", mine=mine, show="", today=day).filter(next_due=day))


def open_tasks(user: User) -> QuerySet[PartnerTask]:
    return (
        PartnerTask.objects.filter(partner__in=Partner.objects.for_user(user), done_at__isnull=True)
        .select_related("partner", "partner__participant", "partner__worker")
        .defer(*(f"partner__{name}" for name in CONTACT_DETAILS))
        .order_by("due_on", "pk")
    )


def first_reached(partner: Partner) -> datetime.date | None:
    """The day a worker first spoke with her, or None."""
    first = partner.attempts.filter(outcome=ContactAttempt.Outcome.REACHED).order_by("at").first()
    return timezone.localtime(first.at).date() if first else None


def days_to_first_contact(
    partner: Partner, calendar: OrganisationCalendar | None = None
) -> int | None:
    """Time to first contact (the module's definition): working days from the day she was
    passed to partner support to the first conversation with her; None until she is reached."""
    reached = first_reached(partner)
    if reached is None:
        return None
    calendar = calendar or OrganisationCalendar(partner.organisation)
    return calendar.working_days_between(partner.referred_on, reached)
