"""Home cards of the men's side: risk flags to acknowledge and case tasks, each counted from
the very queryset its list page (``participants:risk_flags``, ``participants:tasks``) renders.
They name men only; a flag carries nothing of a partner."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dvpp.home import HomeCard, HomeItem, card
from dvpp.models import Role, User

from . import selectors


def _flag(flag) -> HomeItem:
    return HomeItem(
        flag.participant.full_name,
        reverse("participants:detail", args=[flag.participant.public_id]),
        str(_("raised %(date)s") % {"date": date_format(flag.raised_on, "SHORT_DATE_FORMAT")}),
    )


def _task(task) -> HomeItem:
    return HomeItem(
        task.participant.full_name,
        reverse("participants:detail", args=[task.participant.public_id]),
        task.get_kind_display(),
    )


def cards(user: User) -> list[HomeCard]:
    if user.role == Role.FACILITATOR:
        flags, tasks = reverse("participants:risk_flags"), reverse("participants:tasks")
        return [
            card(
                selectors.open_risk_flags(user=user, mine=True),
                key="risk-flags",
                title=_("Risk flags to acknowledge"),
                list_url=f"{flags}?mine=1",
                empty_text=_("No risk flag is waiting on your cases."),
                item=_flag,
                order=20,
            ),
            card(
                selectors.open_case_tasks(user=user, mine=True),
                key="case-tasks",
                title=_("Compliance reviews and tasks"),
                list_url=f"{tasks}?mine=1",
                empty_text=_("No task is waiting on your cases."),
                item=_task,
                order=50,
            ),
        ]
    if user.role == Role.MANAGER:
        return [
            card(
                selectors.open_case_tasks(user=user, decisions=True),
                key="decisions",
                title=_("Tasks waiting for a decision"),
                list_url=f"{reverse('participants:tasks')}?decisions=1",
                empty_text=_("No task is waiting for a decision."),
                item=_task,
                order=50,
            )
        ]
    return []
