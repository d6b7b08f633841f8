"""Each role's home page is its working day: a card for each list of work waiting for it.

A card is never written by hand. It holds the count and the first few rows of the very
queryset that the list it links to renders (:func:`card`), so the two cannot disagree.

The core knows no feature app: each app may provide ``<app>/home.py`` with
``cards(user) -> list[HomeCard]`` (found by :func:`dvpp.hooks.app_modules`), answering only the
cards of the user's role. An app gives partner names only to partner support workers; the
men's side and managers never get a card that names a partner.

Cards are shown by ``order``, then ``key`` (stable whatever the order of INSTALLED_APPS):

* 0–9: reserved for what is passed on from the other side of the service, shown first (for
  partner support: concerns passed on by facilitators);
* 10–49: the role's own lists of people to act on today (check-ins, contacts, flags);
* 50–89: reviews, decisions and deadlines;
* 90–99: the service's own machinery (failed messages, accounts).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .hooks import app_modules
from .models import Notification, Role, User

ITEMS_SHOWN = 5  # the first few names of each card


@dataclass(frozen=True)
class HomeItem:
    label: str
    url: str
    note: str = ""


@dataclass
class HomeCard:
    key: str
    title: str
    count: int
    list_url: str
    empty_text: str
    items: list[HomeItem] = field(default_factory=list)
    order: int = 50
    # The object type a shown name is a read of, for the audit log (a partner's: her list is
    # audited, so her name on a card is too); empty for what is not audited as read.
    audit_as: str = ""


def card(
    rows: QuerySet,
    *,
    key: str,
    title: str,
    list_url: str,
    empty_text: str,
    item: Callable[[object], HomeItem],
    order: int,
    audit_as: str = "",
) -> HomeCard:
    """A card of ``rows``: the first few, and the count (counted only when there are more)."""
    first = list(rows[: ITEMS_SHOWN + 1])
    count = len(first) if len(first) <= ITEMS_SHOWN else rows.count()
    return HomeCard(
        key=key,
        title=str(title),
        count=count,
        list_url=list_url,
        empty_text=str(empty_text),
        items=[item(row) for row in first[:ITEMS_SHOWN]],
        order=order,
        audit_as=audit_as,
    )


def home_cards(user: User) -> list[HomeCard]:
    """Every card of the user's home page, in their documented order."""
    cards = list(cards_of_the_core(user))
    for module in app_modules("home"):
        cards.extend(module.cards(user))
    return sorted(cards, key=lambda one: (one.order, one.key))


# The core's own cards: its lists of accounts and messages.


def failed_notifications(user: User) -> QuerySet[Notification]:
    """Messages of the user's organisation that could not be sent after every retry, the
    newest first: the list of the failed notifications page."""
    return Notification.objects.filter(
        organisation_id=user.organisation_id, state=Notification.State.FAILED
    ).order_by("-created_at", "-pk")


STAFF_SHOWS = ("no_two_factor", "locked")


def staff(user: User, *, show: str = "") -> QuerySet[User]:
    """The organisation's active staff by name; ``show`` narrows it to those without a
    confirmed second factor, or to those whose sign-in is locked now (django-axes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .access import scope_to_organisation

    members = scope_to_organisation(User.objects.filter(is_active=True), user)
    if show == "no_two_factor":
        with_device = TOTPDevice.objects.filter(confirmed=True).values("user_id")
        members = members.exclude(pk__in=with_device)
    elif show == "locked":
        from axes.models import AccessAttempt

        locked = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            expiration__expires_at__gt=timezone.now(),
        ).values("username")
        members = members.filter(username__in=locked)
    return members.order_by("last_name", "first_name", "username")


def _member(url: str) -> Callable[[User], HomeItem]:
    return lambda member: HomeItem(member.get_full_name() or member.username, url)


def cards_of_the_core(user: User) -> Iterable[HomeCard]:
    if user.role == Role.MANAGER:
        yield card(
            failed_notifications(user),
            key="failed-notifications",
            title=_("Failed notifications"),
            list_url=reverse("failed_notifications"),
            empty_text=_("Nothing has failed."),
            item=lambda note: HomeItem(str(note.kind_label), reverse("failed_notifications")),
            order=90,
        )
    if user.role == Role.ADMINISTRATOR:
        staff_url = reverse("staff_list")
        no_two_factor = f"{staff_url}?show=no_two_factor"
        yield card(
            staff(user, show="no_two_factor"),
            key="no-two-factor",
            title=_("Accounts without two-factor"),
            list_url=no_two_factor,
            empty_text=_("Every account has two-factor sign-in."),
            item=_member(no_two_factor),
            order=90,
        )
        locked = f"{staff_url}?show=locked"
        yield card(
            staff(user, show="locked"),
            key="locked",
            title=_("Locked accounts"),
            list_url=locked,
            empty_text=_("No account is locked."),
            item=_member(locked),
            order=91,
        )
