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
        what=what,
        ip=request.META.get("REMOTE_ADDR") or None,
    )


def _address(request) -> str | None:
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def record_sign_in(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: who signed in, when, from where."""
    AuditEvent.objects.create(
        organisation_id=user.organisation_id,
        user=user,
        action=AuditEvent.Action.SIGN_IN,
        object_type="dvpp.user",
        object_id=str(user.pk),
        ip=_address(request),
    )


def record_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    """Connected to user_login_failed: the username tried (known or not) and the address."""
    AuditEvent.objects.create(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        object_type="dvpp.user",
        object_id=str(credentials.get("username", ""))[:64],
        ip=_address(request),
    )
