"""Who may see what: the one place that decides access.

Two rules, applied here and nowhere else:

* **Organisation**: a user sees only their own organisation's records. List pages use
  :func:`scope_to_organisation`; a page about one object uses :func:`get_for_user`, which answers
  404 for another organisation's object, so its existence is not revealed.
* **Role**: each page belongs to an *area*; :data:`AREAS_BY_ROLE` says which areas a role may
  open, and :func:`area_required` refuses the rest with 403. Partner data is its own area, held by
  partner support workers alone: that is the wall between the men's side and the women's side.

Templates never decide access: navigation is built from :func:`user_areas`. Each app builds its
helpers for one kind of object on these (``participants.access.get_participant_for_user``,
``sessions.access.get_group_for_user`` and ``get_session_for_user``,
``partners.access.get_partner_for_user``).
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

from .models import Role, User

# The organisation rule lives in dvpp.scoping, which the models import (so it imports none).
from .scoping import (  # noqa: F401
    OrganisationScopedQuerySet,
    get_for_user,
    scope_to_organisation,
)


class Area(StrEnum):
    CASES = "cases"  # the men: referrals, assessments, case notes (reading)
    CASE_WORK = "case_work"  # intake, status moves, assessments, notes (writing)
    CASE_IMPORT = "case_import"  # importing referral history from a spreadsheet
    GROUPS = "groups"  # programmes, groups, sessions, the attendance register
    PARTNERS = "partners"  # partners and ex-partners: the ISS side of the wall
    OUTCOMES = "outcomes"  # dashboards and reports
    STAFF = "staff"  # the organisation's staff list
    ADMINISTRATION = "administration"  # organisations, users, roles
    AUDIT = "audit"  # the audit log of reads and changes
    LOOKUPS = "lookups"  # the organisation's own lists, in both languages
    LIBRARY = "library"  # programme packages shared in the organisation's coalitions
    COALITION = "coalition"  # a coalition's anonymous figures across its members
    # A man's subject-access package and erasure. A partner's are done behind the wall, by
    # partner support workers (Area.PARTNERS): managers never hold her data.
    SUBJECT_ACCESS = "subject_access"


AREAS_BY_ROLE: dict[Role, frozenset[Area]] = {
    Role.FACILITATOR: frozenset({Area.CASES, Area.CASE_WORK, Area.GROUPS}),
    # Partner support workers see the man's name and programme status, needed for safety work.
    Role.PARTNER_SUPPORT: frozenset({Area.CASES, Area.PARTNERS}),
    Role.MANAGER: frozenset(
        {
            Area.CASES,
            Area.CASE_WORK,
            Area.CASE_IMPORT,
            Area.GROUPS,
            Area.OUTCOMES,
            Area.STAFF,
            Area.AUDIT,
            Area.SUBJECT_ACCESS,
            Area.LOOKUPS,
            Area.LIBRARY,
        }
    ),
    Role.ADMINISTRATOR: frozenset({Area.STAFF, Area.ADMINISTRATION}),
    # No case record, no name, no free text of any member: the coalition's figures only.
    Role.COALITION_ANALYST: frozenset({Area.COALITION}),
}


def user_areas(user: User) -> frozenset[Area]:
    """The areas a signed-in, active member of staff with a role and an organisation may open.

    A superuser without a role gets no area: installation superusers work in the admin site,
    and being a superuser is never a way through the wall.
    """
    if not (user.is_authenticated and user.is_active and user.role):
        return frozenset()
    if user.role == Role.COALITION_ANALYST:
        # An analyst has no organisation, so every organisation-scoped queryset is empty too.
        return AREAS_BY_ROLE[Role.COALITION_ANALYST] if user.coalition_id else frozenset()
    if not user.organisation_id:
        return frozenset()
    return AREAS_BY_ROLE.get(Role(user.role), frozenset())


def user_can(user: User, area: Area) -> bool:
    return area in user_areas(user)


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def area_required(area: Area) -> Callable[[ViewFunc], ViewFunc]:
    """Sign-in first (a redirect), then 403 for a role that may not open this area."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not user_can(request.user, area):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        @wraps(view)
        def entry(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # An htmx request whose session has ended gets a whole-page redirect to sign in,
            # not a sign-in form swapped into a table row.
            if request.htmx and not request.user.is_authenticated:
                return HttpResponseClientRedirect(
                    redirect_to_login(request.htmx.current_url or request.get_full_path()).url,
                    status=401,
                )
            return wrapped(request, *args, **kwargs)

        return entry  # type: ignore[return-value]

    return decorator
