"""The manager's data-protection cards: open cases without a valid consent, and men's data
requests near their legal deadline, each from the selector its list page renders. A partner's
consents and requests stay behind the wall and are never counted here."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dvpp.home import HomeCard, HomeItem, card
from dvpp.models import Role, User

from . import selectors


def _case(participant) -> HomeItem:
    return HomeItem(
        participant.full_name, reverse("participants:detail", args=[participant.public_id])
    )


def _request(subject_request) -> HomeItem:
    due = date_format(subject_request.due_on, "SHORT_DATE_FORMAT")
    return HomeItem(
        subject_request.participant.full_name,
        reverse("participants:subject_access", args=[subject_request.participant.public_id]),
        str(_("due %(date)s") % {"date": due}),
    )


def cards(user: User) -> list[HomeCard]:
    if user.role != Role.MANAGER:
        return []
    return [
        card(
            selectors.requests_near_deadline(user=user),
            key="data-requests",
            title=_("Data requests near their deadline"),
            list_url=reverse("data_protection:requests_due"),
            empty_text=_("No request is near its deadline."),
            item=_request,
            order=60,
        ),
        card(
            selectors.cases_without_valid_consent(user=user),
            key="missing-consent",
            title=_("Cases without a valid consent"),
            list_url=reverse("data_protection:missing_consent"),
            empty_text=_("Every open case has a valid consent."),
            item=_case,
            order=70,
        ),
    ]
