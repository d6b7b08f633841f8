"""Erasing a man's record at his request, where the law allows it.

The rule: a case can be erased once it has closed (he is no longer referred, in assessment,
waiting, allocated or in a group) and no court or probation order on it is still running; while
either holds, the service needs his record for its work and its legal duties, and says so.

Erasure anonymises rather than deletes, so that others' rows and the programme's figures stay
right. What identifies him goes: his names, patronymic and previous surnames, the day and month
of his birth (the year stays, for age bands), his phone and e-mail, the addresses his reminders
went to, the children's ages, and every piece of free text about him (case notes, referral
reasons and referrers' names and contacts, assessment reasons, reasons typed for status changes,
attendance notes, his own survey comments). What stays: his case reference, statuses and their
dates, referral sources and dates, assessment outcomes and risk levels, places in groups and
attendance marks, survey answers other than free text, tasks and risk flags (dated, no detail),
and the audit log (ids only).

The apps above clear what they hold about him through ``dvpp.hooks.erasure`` (his attendance
notes, his own survey comments), in the same transaction.

Nothing of anyone else is touched: not his partners' records (this module never reads them),
not the surveys a partner answered about him, not another man's marks in the same group. The
case is not marked anonymised: when its retention period is over, retention still runs on it,
and on his partners' records as for every case.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dvpp import hooks
from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Notification

from .models import (
    OPEN_STATUSES,
    SYSTEM_REASONS,
    Assessment,
    CaseNote,
    Participant,
    Referral,
    ReminderChannel,
    RetentionRecord,
    StatusChange,
)
from .retention import REMOVED
from .subject_access import messages_to


def erasure_refusal(participant: Participant, *, today: datetime.date | None = None) -> str | None:
    """Why his record cannot be erased now, in the reader's language; None when it can."""
    today = today or timezone.localdate()
    if participant.erased_at is not None:
        return _("This case has already been erased.")
    if participant.status in OPEN_STATUSES:
        return _(
            "His case is still open (%(status)s). A case can be erased only once it has closed: "
            "record how his programme ended first."
        ) % {"status": participant.get_status_display()}
    order = (
        Referral.objects.filter(participant=participant, is_statutory=True, order_end_on__gte=today)
        .order_by("-order_end_on")
        .first()
    )
    if order is not None:
        return _(
            "He is under a court or probation order until %(date)s. The service must keep his "
            "record until the order has ended."
        ) % {"date": date_format(order.order_end_on, "SHORT_DATE_FORMAT")}
    return None


@transaction.atomic
def participant_erase(*, participant: Participant, by=None) -> dict[str, int]:
    """Erase what identifies him (see the module's docstring), or raise ValidationError with
    the reason it is not allowed. Returns how many rows of each kind were cleared. Audited
    (by ids only, as ever)."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if (refusal := erasure_refusal(locked)) is not None:
        raise ValidationError(refusal)
    cleared = {
        "last_name": REMOVED,
        "first_name": REMOVED,
        "patronymic": "",
        "previous_surnames": "",
        "date_of_birth": locked.date_of_birth.replace(month=1, day=1),
        "phone": "",
        "email": "",
        "children_ages": "",
        "reminder_consent": False,
        "reminder_channel": ReminderChannel.NONE,
        # anonymised_at is left to retention: when his case's period is over it still runs,
        # and then closes his partners' records as retention does for every case.
        "erased_at": timezone.now(),
    }
    for name, value in cleared.items():
        setattr(locked, name, value)
    # save() rebuilds search_text: his reference alone, so his erased name is never found.
    locked.save(update_fields=list(cleared))
    # Queryset updates: a saved case note refuses to change through the model, by design.
    removed = {
        "notes": CaseNote.objects.filter(participant=locked).update(text=REMOVED),
        "referrals": Referral.objects.filter(participant=locked).update(
            referrer_name="", referrer_contact="", reason=REMOVED
        ),
        "assessments": Assessment.objects.filter(participant=locked)
        .exclude(outcome_reason="")
        .update(outcome_reason=REMOVED),
        "status_reasons": StatusChange.objects.filter(participant=locked)
        .exclude(reason="")
        .exclude(reason__in=SYSTEM_REASONS)
        .update(reason=REMOVED),
    }
    for counts in hooks.erasure.call(subject=locked, by=by):
        removed.update(counts)
    messages = messages_to(locked)
    messages.filter(state=Notification.State.PENDING).update(state=Notification.State.SKIPPED)
    removed["messages"] = messages.update(to="")
    RetentionRecord.objects.create(
        organisation_id=locked.organisation_id,
        subject=RetentionRecord.Subject.MAN,
        reference=locked.reference,
        object_id=str(locked.public_id),
        closed_on=timezone.localtime(locked.status_changed_at).date(),
        reason=RetentionRecord.Reason.REQUEST,
        performed_by=by,
        removed=removed,
    )
    audit_change(AuditEvent.Action.ERASE, locked, by=by)
    participant.refresh_from_db()
    return removed
