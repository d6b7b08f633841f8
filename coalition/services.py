"""Coalitions and memberships, for commands and other code (the admin site has its own forms):
every membership change is audited under the member organisation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.audit import audit_event
from dvpp.models import AuditEvent, Organisation, User

from .models import Coalition, Membership


def _audit(action: str, membership: Membership, what: str, by: User | None) -> None:
    audit_event(
        None,
        action,
        "dvpp.membership",
        str(membership.pk),
        what=f"coalition {membership.coalition_id}: {what}"[:100],
        user=by,
        organisation_id=membership.organisation_id,
    )


@transaction.atomic
def coalition_create(*, name: str, slug: str, by: User | None = None) -> Coalition:
    """A new coalition, with no member yet (its short name is unique: IntegrityError when taken).
    Audited under no organisation (a coalition belongs to none), as made by ``by`` or by what
    ran this."""
    coalition = Coalition.objects.create(name=name, slug=slug)
    # Under the name its rows have always had (the coalition lived in the core).
    audit_event(None, AuditEvent.Action.CREATE, "dvpp.coalition", str(coalition.pk), "created", by)
    return coalition


def current_membership(coalition: Coalition, organisation: Organisation) -> Membership | None:
    """Its membership that has not ended: no leaving date, or one still to come."""
    return (
        Membership.objects.filter(coalition=coalition, organisation=organisation)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()))
        .first()
    )


@transaction.atomic
def membership_join(
    *,
    coalition: Coalition,
    organisation: Organisation,
    by: User | None = None,
    shown_by_name: bool = False,
    on: datetime.date | None = None,
) -> Membership:
    on = on or timezone.localdate()
    if (
        current_membership(coalition, organisation) is not None
        or Membership.objects.filter(
            coalition=coalition, organisation=organisation, left_on__gt=on
        ).exists()
    ):
        raise ValidationError(_("This organisation is already a member of this coalition."))
    membership = Membership.objects.create(
        coalition=coalition,
        organisation=organisation,
        shown_by_name=shown_by_name,
        joined_on=on,
    )
    _audit(AuditEvent.Action.CREATE, membership, "joined", by)
    return membership


@transaction.atomic
def membership_leave(
    *, membership: Membership, by: User | None = None, on: datetime.date | None = None
) -> Membership:
    """From ``on`` (today), its figures stop appearing in the coalition's."""
    on = on or timezone.localdate()
    if membership.left_on is not None:
        raise ValidationError(_("This organisation has already left this coalition."))
    if on < membership.joined_on:
        raise ValidationError(_("An organisation cannot leave before it joined."))
    membership.left_on = on
    membership.save(update_fields=["left_on"])
    _audit(AuditEvent.Action.CHANGE, membership, "left", by)
    return membership


@transaction.atomic
def membership_set_named(*, membership: Membership, shown_by_name: bool, by: User | None = None):
    membership.shown_by_name = shown_by_name
    membership.save(update_fields=["shown_by_name"])
    _audit(AuditEvent.Action.CHANGE, membership, f"shown by name: {shown_by_name}", by)
    return membership
