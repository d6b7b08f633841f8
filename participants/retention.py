"""Retention: a case closed longer than the organisation's retention period is anonymised.

Names, contact details and free text go — the man's and those of his partners; what the
statistics need stays (statuses and their dates, referral sources and dates, attendance marks,
survey answers other than free text, risk levels), so figures computed later still add up.
Each anonymised case leaves a RetentionRecord with its reference and the counts removed. The
apps above anonymise what they hold about the case through ``dvpp.hooks.retention``, in the
same transaction."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from dvpp import hooks
from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Organisation

from .models import CLOSED_STATUSES, CaseNote, Participant, Referral, RetentionRecord

REMOVED = "—"


def due_for_retention(organisation: Organisation, now: datetime.datetime | None = None):
    now = now or timezone.now()
    limit = now - relativedelta(months=organisation.retention_months)
    return Participant.objects.filter(
        organisation=organisation,
        status__in=CLOSED_STATUSES,
        status_changed_at__lt=limit,
        anonymised_at__isnull=True,
    )


@transaction.atomic
def anonymise(participant: Participant) -> dict:
    """His record, then what the apps above hold about his case (``dvpp.hooks.retention``: his
    partners' records behind the wall, the surveys' free text). Returns the counts removed, as
    his destruction record keeps them."""
    cleared = {
        "last_name": REMOVED,
        "first_name": REMOVED,
        "patronymic": "",
        "previous_surnames": "",
        # The year of birth stays for age bands; the day does not.
        "date_of_birth": participant.date_of_birth.replace(month=1, day=1),
        "phone": "",
        "email": "",
        "children_ages": "",
        "reminder_consent": False,
        "reminder_channel": "none",
        "anonymised_at": timezone.now(),
    }
    for name, value in cleared.items():
        setattr(participant, name, value)
    # save() rebuilds search_text: his reference alone, so his removed name is never found.
    participant.save(update_fields=list(cleared))
    removed = {
        "notes": CaseNote.objects.filter(participant=participant).update(text=REMOVED),
        "referrals": Referral.objects.filter(participant=participant).update(
            referrer_name="", referrer_contact="", reason=REMOVED
        ),
    }
    for counts in hooks.retention.call(participant=participant):
        removed.update(counts)
    RetentionRecord.objects.create(
        organisation_id=participant.organisation_id,
        reference=participant.reference,
        object_id=str(participant.public_id),
        closed_on=timezone.localtime(participant.status_changed_at).date(),
        reason=RetentionRecord.Reason.RETENTION,
        removed=removed,
    )
    return removed


def _record_erasure(participant: Participant) -> None:
    """His case, in the audit log (each partner's record is recorded behind the wall, by
    ``partners.retention``). Done by the system, not by a member of staff: no user, and the
    task or command that ran it as the origin."""
    audit_change(
        AuditEvent.Action.ERASE,
        participant,
        what="anonymised: retention period over",
        organisation_id=participant.organisation_id,
    )


def retention_apply(
    organisation: Organisation, *, dry_run: bool, now: datetime.datetime | None = None
) -> list[str]:
    """Anonymise the organisation's cases past retention; a dry run only lists them."""
    cases = list(due_for_retention(organisation, now).order_by("reference"))
    if not dry_run:
        for participant in cases:
            with transaction.atomic():
                anonymise(participant)
                _record_erasure(participant)
    return [participant.reference for participant in cases]


def retention_apply_all(*, dry_run: bool) -> int:
    return sum(
        len(retention_apply(organisation, dry_run=dry_run))
        for organisation in Organisation.objects.filter(is_active=True)
    )
