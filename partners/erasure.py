"""Erasing a partner's record at her request, where the law allows it.

The rule: her support must have ended (her record is closed, or she declined support) and no
MARAC referral for her may still be open; until then the record is needed to keep her safe and
for the multi-agency process, and the page says so.

What identifies her, and everything she said, goes: her names, phone, e-mail, address, safe
contact notes, what she agreed to, the children's ages, what she said at check-ins, every
section of every safety plan, the reasons for a professional-judgement risk level, MARAC
outcomes and her survey comments. Her record stays, marked erased, with its dated,
non-identifying rows, so the service's figures stay right: contact attempts (time to first
contact), risk scores and levels, check-in dates and measures, plan versions and review dates,
tasks, survey answers other than free text, and the audit log (ids only).

The apps above clear what they hold about her through ``dvpp.hooks.erasure`` (her survey
comments), in the same transaction.

Nothing of anyone else is touched: not the man's case, nor another partner of his.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp import hooks
from dvpp.audit import audit_change
from dvpp.models import AuditEvent
from participants.retention import REMOVED

from .models import CheckIn, MaracReferral, Partner, RiskAssessment, RiskLowering, SafetyPlan

ENDED = frozenset({Partner.State.CLOSED, Partner.State.DECLINED})


def erasure_refusal(partner: Partner) -> str | None:
    """Why her record cannot be erased now, in the reader's language; None when it can."""
    if partner.erased_at is not None:
        return _("This record has already been erased.")
    if partner.state not in ENDED:
        return _(
            "Her support is still open (%(state)s). Close her record, or record that she "
            "declined support, before erasing it."
        ) % {"state": partner.get_state_display()}
    if MaracReferral.objects.filter(partner=partner, outcome="").exists():
        return _("A MARAC referral for her is still open: record its outcome first.")
    return None


@transaction.atomic
def partner_erase(*, partner: Partner, by=None) -> dict[str, int]:
    """Erase what identifies her (see the module's docstring), or raise ValidationError with
    the reason it is not allowed. Returns how many rows of each kind were cleared."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if (refusal := erasure_refusal(locked)) is not None:
        raise ValidationError(refusal)
    locked.last_name = locked.first_name = REMOVED
    locked.patronymic = locked.consent_scope = locked.children_ages = ""
    locked.phone = locked.email = locked.address = locked.safe_contact_notes = ""
    locked.erased_at = timezone.now()
    locked.save(
        update_fields=[
            "last_name",
            "first_name",
            "patronymic",
            "consent_scope",
            "children_ages",
            "phone",
            "email",
            "address",
            "safe_contact_notes",
            "erased_at",
        ]
    )
    # An empty encrypted field is stored empty, so these updates leave no ciphertext behind.
    removed = {
        "checkins": CheckIn.objects.filter(partner=locked).update(actions=""),
        "safety_plans": SafetyPlan.objects.filter(partner=locked).update(
            contacts="", safe_places="", warning_signs="", children=""
        ),
        "risk_assessments": RiskAssessment.objects.filter(partner=locked).update(judgement_note=""),
        # Why her risk was lowered: cleared, the dated change from one level to another kept.
        "risk_lowerings": RiskLowering.objects.filter(partner=locked).update(reason=""),
        # A closed referral keeps a (removed) outcome, so it still reads as closed.
        "marac": MaracReferral.objects.filter(partner=locked)
        .exclude(outcome="")
        .update(outcome=REMOVED),
    }
    for counts in hooks.erasure.call(subject=locked, by=by):
        removed.update(counts)
    from participants.models import RetentionRecord

    RetentionRecord.objects.create(
        organisation_id=locked.organisation_id,
        subject=RetentionRecord.Subject.PARTNER,
        # Her record is named by the start of its id, never by her name.
        reference=str(locked.public_id)[:8],
        object_id=str(locked.public_id),
        reason=RetentionRecord.Reason.REQUEST,
        performed_by=by,
        removed=removed,
    )
    audit_change(AuditEvent.Action.ERASE, locked, by=by)
    partner.refresh_from_db()
    return removed
