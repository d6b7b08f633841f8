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
