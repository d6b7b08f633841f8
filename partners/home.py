"""The partner support worker's home cards: each a list of the partner list page
(``?show=…``), counted from the very queryset that page renders. Behind the wall: only a
partner support worker gets them (``Partner.objects.for_user`` answers nobody else either)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dvpp.access import Area, user_can
from dvpp.home import HomeCard, HomeItem, card
from dvpp.models import User

from . import selectors

# (show, title, empty text, order): the order of dvpp.home (0–9 stays free for concerns
# passed on by facilitators, shown first).
CARDS = (
    (selectors.TASKS, _("Contact her today"), _("Nobody to contact today."), 10),
    (selectors.OVERDUE, _("Check-ins overdue"), _("No check-in is overdue."), 20),
    (selectors.DUE_TODAY, _("Check-ins due today"), _("No check-in is due today."), 21),
    (selectors.AWAITING, _("Awaiting first contact"), _("Nobody is waiting."), 30),
    (selectors.MARAC_DUE, _("MARAC referrals due"), _("No MARAC referral is due."), 50),
    (selectors.PLAN_REVIEW, _("Safety plans due for review"), _("No plan is due."), 51),
)
TITLES = {show: title for show, title, _empty, _order in CARDS}


def _note(show: str, partner) -> str:
    """What tells her apart from another woman of the same name (his case reference, her
    worker), and for the dated lists, the date that put her there."""
    who = _("partner of %(reference)s, worker %(worker)s") % {
        "reference": partner.participant.reference,
        "worker": partner.worker or _("no worker"),
    }
    if show == selectors.OVERDUE:
        if partner.next_due is None:
            return f"{who} · {_('no check-in yet')}"
        due = date_format(partner.next_due, "SHORT_DATE_FORMAT")
        return f"{who} · {_('due %(date)s') % {'date': due}}"
    if show == selectors.PLAN_REVIEW:
        review = date_format(partner.review_on, "SHORT_DATE_FORMAT")
        return f"{who} · {_('review %(date)s') % {'date': review}}"
    return str(who)


def cards(user: User) -> list[HomeCard]:
    if not user_can(user, Area.PARTNERS):
        return []
    index = reverse("partners:index")
    found = []
    for show, title, empty, order in CARDS:
        found.append(
            card(
                selectors.partner_list(user=user, show=show),
                key=f"partners-{show.replace('_', '-')}",
                title=title,
                list_url=f"{index}?show={show}",
                empty_text=empty,
                item=lambda partner, show=show: HomeItem(
                    partner.full_name,
                    reverse("partners:detail", args=[partner.public_id]),
                    _note(show, partner),
                ),
                order=order,
                audit_as="partners.partner",
            )
        )
    return found
