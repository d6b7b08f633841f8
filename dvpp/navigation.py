"""The main navigation: each entry belongs to an access area, so a role sees only what it may open.

Later apps add their entries here; the template only draws what :func:`items_for` returns.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import Area, user_areas
from .models import User


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Promise
    url_name: str
    area: Area | None  # None: every signed-in member of staff

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Home"), "home", None),
    NavItem("cases", _("Cases"), "participants:index", Area.CASES),
    NavItem("groups", _("Groups"), "group_sessions:index", Area.GROUPS),
    NavItem("partners", _("Partner support"), "partners:index", Area.PARTNERS),
    NavItem("outcomes", _("Outcomes"), "outcomes:index", Area.OUTCOMES),
    NavItem("evidence", _("Did it work?"), "evidence:report", Area.OUTCOMES),
    NavItem("coalition", _("Coalition figures"), "coalition:index", Area.COALITION),
    NavItem("library", _("Programme library"), "library:index", Area.LIBRARY),
    NavItem("staff", _("Staff"), "staff_list", Area.STAFF),
    NavItem("audit", _("Audit log"), "audit_log", Area.AUDIT),
    NavItem("admin", _("Administration"), "admin:index", Area.ADMINISTRATION),
)


def items_for(user: User) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    areas = user_areas(user)
    return [item for item in NAVIGATION if item.area is None or item.area in areas]
