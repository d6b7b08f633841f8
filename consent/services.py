"""Giving and withdrawing consent, and what a withdrawal stops at once."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.audit import audit_change
from dvpp.models import AuditEvent, Notification, User

from .models import REQUIRED, ConsentTemplate, How, ManConsent, Purpose, Subject, SubjectRequest


def current_templates(organisation_id: int, subject: Subject):
    return ConsentTemplate.objects.filter(
        organisation_id=organisation_id, subject=subject, is_current=True
    ).order_by("purpose")


def _check_given(template: ConsentTemplate, given_on: datetime.date, how: str) -> None:
    errors = {}
    if given_on > timezone.localdate():
        errors["given_on"] = _("Consent cannot be given in the future.")
    if how not in How.values:
        errors["how"] = _("Choose how the consent was given.")
    elif template.special_categories and how != How.SIGNED:
        errors["how"] = _(
            "This consent covers health or other special categories of data: only a signed "
            "paper consent counts."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_give(model, subject: Subject, field: str, person, template, given_on, how, by, key):
    """Record a consent in ``model`` (``ManConsent`` here; ``partners.PartnerConsent`` behind the
    wall, from ``partners.services``), for ``person`` in its ``field``: the rules are the same.
    Returns the record and whether it is new (False: the same form sent twice)."""
    # The same form sent twice: the consent it made, for this person only.
    if key and (found := model.objects.filter(submission_key=key, **{field: person})):
        return found.get(), False
    if key and model.objects.filter(submission_key=key).exists():
        raise ValidationError(_("This form was already used: reload the page and try again."))
    if template.organisation_id != person.organisation_id or template.subject != subject:
        raise ValidationError({"template": _("Choose one of this organisation's consents.")})
    _check_given(template, given_on, how)
    record = model.objects.create(
        organisation_id=person.organisation_id,
        template=template,
        given_on=given_on,
        how=how,
        valid_until=template.valid_until(given_on),
        recorded_by=by,
        submission_key=key,
        **{field: person},
    )
    return record, True


@transaction.atomic
def man_consent_give(
    *,
    participant,
    template: ConsentTemplate,
    given_on: datetime.date,
    how: str,
    by: User,
    submission_key: uuid.UUID | None = None,
) -> ManConsent:
    """His consent (the rules of :func:`consent_give`), audited on his case by its purpose."""
    record, new = consent_give(
        ManConsent,
        Subject.MAN,
        "participant",
        participant,
        template,
        given_on,
        how,
        by,
        submission_key,
    )
    if new:  # the same form sent twice is one consent, audited once
        what = f"consent: {record.template.purpose}"
        audit_change(AuditEvent.Action.CREATE, participant, by=by, what=what)
    return record


def _check_withdrawal(record, on: datetime.date, how: str) -> None:
    if record.withdrawn_on:
        raise ValidationError(_("This consent was already withdrawn."))
    errors = {}
    if on > timezone.localdate():
        errors["withdrawn_on"] = _("A withdrawal cannot be recorded for a future date.")
    elif on < record.given_on:
        errors["withdrawn_on"] = _("A consent cannot be withdrawn before it was given.")
    if how not in How.values:
        errors["withdrawal_how"] = _("Choose how the consent was withdrawn.")
    if errors:
        raise ValidationError(errors)


def consent_withdraw(record, on: datetime.date, how: str, by: User):
    """Record the withdrawal of a man's or a partner's consent (same rules for both)."""
    record = type(record).objects.select_for_update().select_related("template").get(pk=record.pk)
    _check_withdrawal(record, on, how)
    record.withdrawn_on = on
    record.withdrawal_how = how
    record.withdrawal_recorded_by = by
    record.save(update_fields=["withdrawn_on", "withdrawal_how", "withdrawal_recorded_by"])
    return record


@transaction.atomic
def man_consent_withdraw(*, record: ManConsent, on: datetime.date, how: str, by: User) -> None:
    """Record the withdrawal. Withdrawing consent to the programme or to messages stops his
    reminders at once: nothing already queued for him is sent. Audited on his case."""
    record = consent_withdraw(record, on, how, by)
    if record.template.purpose in (Purpose.PROGRAMME, Purpose.MESSAGES):
        stop_messages(record.participant)
    what = f"consent withdrawn: {record.template.purpose}"
    audit_change(AuditEvent.Action.CHANGE, record.participant, by=by, what=what)


def stop_messages(participant) -> int:
    """No more reminders or notices to him: his choice is switched off and every message
    waiting for him is dropped. Returns how many were dropped."""
    type(participant).objects.filter(pk=participant.pk).update(reminder_consent=False)
    participant.reminder_consent = False
    return Notification.objects.filter(
        participant_id=participant.pk, state=Notification.State.PENDING
    ).update(state=Notification.State.SKIPPED)


def missing_purposes(subject: Subject, records, on: datetime.date | None = None) -> list[str]:
    """The required purposes with no valid consent among ``records`` (labels, for a warning)."""
    valid = {record.template.purpose for record in records if record.is_valid(on)}
    return [Purpose(purpose).label for purpose in REQUIRED[subject] if purpose not in valid]


def man_consent_warnings(participant, records=None) -> list[str]:
    """What his case page warns about: no valid consent to the programme; reminders switched
    on without a valid consent to messages."""
    if records is None:
        records = list(participant.consents.select_related("template"))
    missing = missing_purposes(Subject.MAN, records)
    warnings = [_("No valid consent: %(purpose)s.") % {"purpose": purpose} for purpose in missing]
    has_messages = any(r.template.purpose == Purpose.MESSAGES and r.is_valid() for r in records)
    if participant.reminder_consent and not has_messages:
        warnings.append(_("Reminders are switched on, but there is no valid consent to messages."))
    return warnings


def partner_consent_warnings(records) -> list[str]:
    return [
        _("No valid consent: %(purpose)s.") % {"purpose": purpose}
        for purpose in missing_purposes(Subject.PARTNER, records)
    ]


def request_due_on(organisation, received_on: datetime.date) -> datetime.date:
    """The legal deadline for answering: ten working days in Russia, one month elsewhere."""
    if organisation.country == "RU":
        from dvpp.calendar import OrganisationCalendar

        return OrganisationCalendar(organisation).add_working_days(received_on, 10)
    from dateutil.relativedelta import relativedelta

    return received_on + relativedelta(months=1)


@transaction.atomic
def subject_request_log(
    *, person, kind: str, received_on: datetime.date, by: User, submission_key=None
) -> SubjectRequest:
    """Log a man's or a partner's request about their data, with its deadline. Audited on the
    person's record by the kind of request."""
    from participants.models import Participant

    is_man = isinstance(person, Participant)
    person_field = "participant" if is_man else "partner"
    if submission_key and (
        found := SubjectRequest.objects.filter(
            submission_key=submission_key, **{person_field: person}
        )
    ):
        return found.get()
    if submission_key and SubjectRequest.objects.filter(submission_key=submission_key).exists():
        raise ValidationError(_("This form was already used: reload the page and try again."))
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    if kind not in SubjectRequest.Kind.values:
        raise ValidationError({"kind": _("Choose what the person asked for.")})
    logged = SubjectRequest.objects.create(
        organisation_id=person.organisation_id,
        subject=Subject.MAN if is_man else Subject.PARTNER,
        participant=person if is_man else None,
        partner=None if is_man else person,
        kind=kind,
        received_on=received_on,
        due_on=request_due_on(person.organisation, received_on),
        recorded_by=by,
        submission_key=submission_key,
    )
    audit_change(AuditEvent.Action.CREATE, person, by=by, what=f"request: {kind}")
    return logged


def subject_requests_answered(*, person, kind: str, by: User) -> int:
    """The person's open requests of this kind are answered today (the package was made, the
    data erased)."""
    from participants.models import Participant

    field = "participant" if isinstance(person, Participant) else "partner"
    return SubjectRequest.objects.filter(
        **{field: person}, kind=kind, answered_on__isnull=True
    ).update(answered_on=timezone.localdate(), answered_by=by)
