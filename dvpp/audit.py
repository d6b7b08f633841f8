"""Recording who read or changed what. Ids only: the log itself holds no personal data."""

from django.db import models
from django.http import HttpRequest

from .models import AuditEvent


def audit_record(request: HttpRequest, action: str, obj: models.Model, what: str = "") -> None:
    """Log one access to a record: the user, their organisation, the record and the address."""
    user = request.user if request.user.is_authenticated else None
    AuditEvent.objects.create(
        organisation_id=getattr(user, "organisation_id", None),
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "public_id", None) or obj.pk),
        what=what[:100],
        ip=_address(request),
        request_id=getattr(request, "request_id", ""),
        role=getattr(user, "role", "") or "",
    )


def audit_event(
    request: HttpRequest | None,
    action: str,
    object_type: str,
    object_id: str,
    what: str = "",
    user=None,
    organisation_id: int | None = None,
) -> None:
    """Log an event that is not about one model instance (a sign-in, an export, a refusal).

    ``user`` defaults to the request's signed-in user; ``organisation_id`` defaults to the
    user's (give it for work done by the system itself, such as the nightly retention)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    AuditEvent.objects.create(
        organisation_id=organisation_id or getattr(user, "organisation_id", None),
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        what=what[:100],
        ip=_address(request),
        request_id=getattr(request, "request_id", ""),
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
