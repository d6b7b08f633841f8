"""The facilitator's home card of today's sessions: the "Today" part of "My sessions this
week", from the same selector."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dvpp.home import HomeCard, HomeItem, card
from dvpp.models import Role, User

from .selectors import sessions_today


def _item(session) -> HomeItem:
    week = gettext("week %(week)s") % {"week": session.theme.number}
    note = f"{week}: {session.theme.title}"
    if session.is_cancelled:
        note = f"{note} · {gettext('cancelled')}"
    return HomeItem(
        f"{session.start_time:%H:%M} · {session.group.name}",
        reverse("group_sessions:register", args=[session.public_id]),
        note,
    )


def cards(user: User) -> list[HomeCard]:
    if user.role != Role.FACILITATOR:
        return []
    return [
        card(
            sessions_today(user),
            key="sessions-today",
            title=_("Today's sessions"),
            list_url=reverse("group_sessions:today"),
            empty_text=_("You have no group sessions today."),
            item=_item,
            order=10,
        )
    ]
