"""Recording who read or changed what, and reading it back in words.

Ids and codes only: the log itself holds no personal data. What an event says to a manager
("Marked Tom Baxter present, Group A, 3 December 2026") is worded when the log is read, in the
reader's language, by :func:`describe_events` and the apps' ``audit`` hook modules."""

import re
from collections.abc import Callable, Iterable, Sequence

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .hooks import app_modules
from .models import AuditEvent
from .origin import Origin, current_origin, origin

__all__ = ["Origin", "audit_change", "audit_event", "audit_record", "current_origin", "origin"]

# What an event says and the page it concerns ("" when there is no page to open).
Description = tuple[str, str]


def audit_change(
    action: str,
    obj: models.Model,
    *,
    by=None,
    what: str = "",
    params: dict | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """The audit row of a change, written by the service that makes it, in its transaction:
    who (``by``: the member of staff, or None for the system), what, and where it came from
    (:func:`origin`). Ids and codes only, as everywhere in the log."""
    if organisation_id is None:
        organisation_id = getattr(obj, "organisation_id", None) or getattr(
            by, "organisation_id", None
        )
    return audit_event(
        None,
        action,
        obj._meta.label_lower,
        str(getattr(obj, "public_id", None) or obj.pk),
        what=what,
        user=by,
        organisation_id=organisation_id,
        params=params,
    )


def audit_record(
    request: HttpRequest,
    action: str,
    obj: models.Model,
    what: str = "",
    params: dict | None = None,
) -> None:
    """Log one access to a record: the user, their organisation, the record and the address.
    ``params`` holds codes and ids that say more (never a value typed about a person)."""
    audit_event(
        request,
        action,
        obj._meta.label_lower,
        str(getattr(obj, "public_id", None) or obj.pk),
        what=what,
        params=params,
    )


def audit_event(
    request: HttpRequest | None,
    action: str,
    object_type: str,
    object_id: str,
    what: str = "",
    user=None,
    organisation_id: int | None = None,
    params: dict | None = None,
) -> AuditEvent:
    """Log an event that is not about one model instance (a sign-in, an export, a refusal, an
    import's file).

    ``user`` defaults to the request's signed-in user; ``organisation_id`` defaults to the
    user's (give it for work done by the system itself, such as the nightly retention).
    Without a request (a service writing the row of a whole import), the address and request
    id are the origin's (:func:`origin`), as :func:`audit_change` records them."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    where = current_origin()
    return AuditEvent.objects.create(
        organisation_id=organisation_id or getattr(user, "organisation_id", None),
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        what=what[:100],
        params=params or {},
        ip=_address(request) if request is not None else where.ip,
        request_id=getattr(request, "request_id", "") if request is not None else where.request_id,
        via=where.via,
        role=getattr(user, "role", "") or "",
    )


def _address(request) -> str | None:
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def record_sign_in(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: who signed in, when, from where."""
    audit_event(request, AuditEvent.Action.SIGN_IN, "dvpp.user", user.pk, user=user)


def record_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    """Connected to user_login_failed: the username tried (known or not) and the address."""
    username = str(credentials.get("username", ""))
    AuditEvent.objects.create(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        object_type="dvpp.user",
        object_id=username[:64],
        ip=_address(request),
        request_id=getattr(request, "request_id", ""),
    )


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Connected to axes' user_locked_out: the username tried and the address, now locked."""
    AuditEvent.objects.create(
        action=AuditEvent.Action.LOCKED_OUT,
        object_type="dvpp.user",
        object_id=str(username or "")[:64],
        ip=ip_address or _address(request),
        request_id=getattr(request, "request_id", ""),
    )


def describe_events(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    """Each event in words of the active language, with the address of the page it concerns.

    Every app's ``audit`` module has ``describe(events, *, viewer) -> {event id: (text, url)}``
    for the events about its own records, worked out for a whole page at once (a query per
    kind of record, never one per row). Higher apps are asked first: they know the events they
    wrote on a lower app's record (an attendance mark is written on his case). What no app
    claims, the core words from the action and the kind of record."""
    described: dict[int, Description] = {}
    for module in reversed(list(app_modules("audit"))):
        remaining = [event for event in events if event.pk not in described]
        if not remaining:
            break
        described.update(module.describe(remaining, viewer=viewer))
    remaining = [event for event in events if event.pk not in described]
    described.update(_describe_core(remaining, viewer=viewer))
    return described


def parse(what: str, pattern: str) -> re.Match | None:
    """The parts of a ``what`` code (written by the app itself, as in ``status: a→b``)."""
    return re.fullmatch(pattern, what or "")


def choice_label(choices: type[models.TextChoices], code: str) -> str:
    """A code's label in the active language; a code since retired is shown as it is."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "—"


def field_names(model: type[models.Model], names: Iterable[str]) -> str:
    """The names of changed fields as a reader knows them ("role, e-mail"), in the active
    language; names of fields since removed are left out."""
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name.strip())
        except FieldDoesNotExist:  # a field since removed
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels)


def _describe_core(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    from .models import User

    user_ids = {
        int(event.object_id)
        for event in events
        if event.object_type == "dvpp.user" and event.object_id.isdigit()
    }
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=user_ids, organisation_id=viewer.organisation_id)
    }
    described = {}
    for event in events:
        if event.object_type == "dvpp.user":
            described[event.pk] = _describe_user_event(event, users)
        elif event.what.startswith("list: "):
            described[event.pk] = _describe_lookup_event(event)
        else:
            described[event.pk] = (_CORE_WORDING.get(event.object_type, _generic)(event), "")
    return described


_USER_ACTIONS: dict[str, Callable[[], str]] = {
    AuditEvent.Action.SIGN_IN: lambda: _("Signed in"),
    AuditEvent.Action.SESSION_ENDED: lambda: _("Was signed out after inactivity"),
    AuditEvent.Action.SECOND_FACTOR_ENROLLED: lambda: _("Set up two-factor sign-in"),
    AuditEvent.Action.SECOND_FACTOR_PASSED: lambda: _("Passed the second factor"),
    AuditEvent.Action.SECOND_FACTOR_FAILED: lambda: _("Failed the second factor"),
    AuditEvent.Action.RECOVERY_CODE_USED: lambda: _("Signed in with a recovery code"),
    AuditEvent.Action.REAUTHENTICATED: lambda: _("Confirmed their identity with the password"),
    AuditEvent.Action.REAUTHENTICATION_FAILED: lambda: _("Failed to confirm their identity"),
}


def _describe_user_event(event: AuditEvent, users: dict) -> Description:
    """An account's events. The actor's own (a sign-in) say nothing more; another's name the
    account, of this organisation only."""
    from .models import User

    if event.action == AuditEvent.Action.SIGN_IN_FAILED:
        return _("A failed sign-in"), ""
    if event.action == AuditEvent.Action.LOCKED_OUT:
        return _("An account was locked after failed sign-ins"), ""
    own = event.user_id is not None and str(event.user_id) == event.object_id
    if own and event.action in _USER_ACTIONS:
        return _USER_ACTIONS[event.action](), reverse("staff_list")
    account = users.get(int(event.object_id)) if event.object_id.isdigit() else None
    name = str(account) if account is not None else _("an account no longer held")
    values = {"name": name}
    if event.action == AuditEvent.Action.SECOND_FACTOR_RESET:
        text = _("Reset the two-factor sign-in of %(name)s") % values
    elif event.action == AuditEvent.Action.CREATE:
        text = _("Created the account of %(name)s") % values
    elif event.action == AuditEvent.Action.VIEW:
        text = _("Opened the account of %(name)s") % values
    elif event.action == AuditEvent.Action.DELETE:
        text = _("Deleted the account of %(name)s") % values
    elif event.action == AuditEvent.Action.CHANGE:
        fields = event.params.get("fields", [])
        if fields == ["role"]:
            text = _("Changed the role of %(name)s") % values
        elif fields:
            text = _("Changed the account of %(name)s (%(fields)s)") % {
                **values,
                "fields": field_names(User, fields),
            }
        else:
            text = _("Changed the account of %(name)s") % values
    elif event.action in _USER_ACTIONS:
        text = f"{_USER_ACTIONS[event.action]()}: {name}"
    else:
        text = _generic(event)
    return text, reverse("staff_list") if account is not None else ""


def _describe_lookup_event(event: AuditEvent) -> Description:
    from django.http import Http404

    from .lookup_lists import lookup_model

    kind = event.what.removeprefix("list: ").split(":")[0]
    try:
        model = lookup_model(kind)
    except Http404:
        return _generic(event), ""
    values = {"list": str(model._meta.verbose_name_plural)}
    url = reverse("lookup_list", kwargs={"kind": kind})
    if event.action == AuditEvent.Action.CREATE:
        return _("Added an entry to the list “%(list)s”") % values, url
    if event.action == AuditEvent.Action.DELETE:
        return _("Deleted an entry of the list “%(list)s”") % values, url
    return _("Changed an entry of the list “%(list)s”") % values, url


def _generic(event: AuditEvent) -> str:
    """What is known of an event no app words: the action and the kind of record."""
    try:
        record = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        record = _("a record")
    return _("%(action)s: %(record)s") % {
        "action": choice_label(AuditEvent.Action, event.action),
        "record": record,
    }


def _refused(event: AuditEvent) -> str:
    if event.what == "csrf token":
        return _("A form was refused: its security token was missing or out of date")
    if event.what == "another organisation's id":
        return _("A request was refused: it named another organisation's record")
    return _("A request was refused")


def _membership(event: AuditEvent) -> str:
    if event.action == AuditEvent.Action.CREATE:
        return _("The organisation joined a coalition")
    return _("Changed the organisation's coalition membership")


_CORE_WORDING: dict[str, Callable[[AuditEvent], str]] = {
    "dvpp.auditevent": lambda event: _("Downloaded the audit log (CSV)"),
    "request": _refused,
    "dvpp.membership": _membership,
}
