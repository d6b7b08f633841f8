"""Recording survey responses: every answer checked against its question, the wave checked
against how far the person has come, one response per person, survey and wave."""

import datetime
import uuid
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.audit import audit_change
from dvpp.models import AuditEvent, User
from participants.models import CLOSED_STATUSES, Participant, Status

from .models import Answer, Instrument, Question, Response, Wave


def check_answer(question: Question, raw: Any) -> str | None:
    """The stored form of an answer, or None when left empty; ValidationError when it is not
    one of the question's answers."""
    value = "" if raw is None else str(raw).strip()
    if value == "":
        if question.required:
            raise ValidationError(_("An answer is required."))
        return None
    if question.kind == Question.Kind.NUMBER:
        try:
            return str(int(value))
        except ValueError:
            raise ValidationError(_("Give a whole number.")) from None
    if question.kind == Question.Kind.TEXT:
        return value[:1000]
    allowed = [choice for choice, _label in question.choices()]
    if value not in allowed:
        raise ValidationError(
            _("“%(value)s” is not one of the answers: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(allowed)}
        )
    return value


def wave_reached(participant: Participant, wave: str, answered_on: datetime.date) -> bool:
    """Whether the person can have reached a wave: mid-point once in a group, exit once his case
    is closed, follow-up the configured months after it closed."""
    if wave == Wave.BASELINE:
        return True
    if wave == Wave.MIDPOINT:
        return participant.status == Status.IN_PROGRAMME or (
            participant.status in CLOSED_STATUSES and participant.enrolments.exists()
        )
    if participant.status not in CLOSED_STATUSES:
        return False
    if wave == Wave.EXIT:
        return True
    months = participant.organisation.follow_up_months
    closed_on = timezone.localtime(participant.status_changed_at).date()
    return answered_on >= closed_on + relativedelta(months=months)


def response_record(
    *,
    instrument: Instrument,
    wave: str,
    participant: Participant,
    partner=None,
    answered_on: datetime.date,
    answers: dict[str, Any],
    by: User | None,
    submission_key: uuid.UUID | None = None,
) -> Response:
    """Record one survey response with all its answers, or nothing, audited on the record of
    whoever answered (her record for a partner survey, his case) in the same transaction. The
    same form sent twice (its submission key) returns the first response and records nothing."""
    if submission_key and (done := Response.objects.filter(submission_key=submission_key).first()):
        return done
    return _save(
        instrument=instrument,
        wave=wave,
        participant=participant,
        partner=partner,
        answered_on=answered_on,
        answers=answers,
        by=by,
        submission_key=submission_key,
        audited=True,
    )


def response_save(
    *,
    instrument: Instrument,
    wave: str,
    participant: Participant,
    partner=None,
    answered_on: datetime.date,
    answers: dict[str, Any],
    by: User | None,
) -> Response:
    """A step of an import: one response checked by the rules of :func:`response_record` and
    saved, with no audit row of its own (the import writes one for its file)."""
    return _save(
        instrument=instrument,
        wave=wave,
        participant=participant,
        partner=partner,
        answered_on=answered_on,
        answers=answers,
        by=by,
        submission_key=None,
        audited=False,
    )


def _save(
    *,
    instrument: Instrument,
    wave: str,
    participant: Participant,
    partner,
    answered_on: datetime.date,
    answers: dict[str, Any],
    by: User | None,
    submission_key: uuid.UUID | None,
    audited: bool,
) -> Response:
    errors: dict[str, list[str]] = {}
    if participant.organisation_id != instrument.organisation_id:
        raise ValidationError(_("This person belongs to another organisation."))
    if (instrument.subject == "partner") != (partner is not None):
        raise ValidationError(_("This survey is not answered by this person."))
    if partner is not None and partner.participant_id != participant.pk:
        raise ValidationError(_("This survey is not answered by this person."))
    if wave not in Wave.values:
        raise ValidationError({"wave": _("Unknown wave.")})
    if answered_on > timezone.localdate():
        errors.setdefault("answered_on", []).append(_("This date is in the future."))
    elif not wave_reached(participant, wave, answered_on):
        errors.setdefault("wave", []).append(
            _("He has not reached the “%(wave)s” wave yet.") % {"wave": Wave(wave).label}
        )
    cleaned: list[tuple[Question, str]] = []
    for question in instrument.questions.all():
        try:
            value = check_answer(question, answers.get(question.code))
        except ValidationError as error:
            errors.setdefault(question.code, []).extend(error.messages)
            continue
        if value is not None:
            cleaned.append((question, value))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                organisation_id=instrument.organisation_id,
                instrument=instrument,
                wave=wave,
                participant=participant,
                partner=partner,
                answered_on=answered_on,
                entered_by=by,
                submission_key=submission_key,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question=q, question_code=q.code, value=value)
                for q, value in cleaned
            )
            if audited:
                audit_change(
                    AuditEvent.Action.CREATE,
                    partner if partner is not None else participant,
                    by=by,
                    what=f"survey response {response.pk} ({instrument.code}, {wave})",
                )
    except IntegrityError:
        raise ValidationError(
            {
                "wave": _("This person already has a “%(wave)s” response to this survey.")
                % {"wave": Wave(wave).label}
            }
        ) from None
    return response


def snapshot_build(*, organisation, on: datetime.date | None = None):
    """Compute the night's figures once and keep them with what they were computed from: the
    number of responses and answers and a SHA-256 of every answer, so that a reported figure can
    be reproduced. Running it again for the same night replaces nothing and makes no second
    snapshot. A snapshot made is audited, as made by what ran this (the nightly task, a command)."""
    import hashlib

    from dvpp import hooks

    from .counts import organisation_counts
    from .figures import Filters, as_dict, paired_table, programme_figures
    from .models import Answer, Instrument, OutcomeSnapshot

    on = on or timezone.localdate()
    existing = OutcomeSnapshot.objects.filter(organisation=organisation, taken_on=on).first()
    if existing is not None:
        return existing, False
    digest = hashlib.sha256()
    answers = Answer.objects.filter(response__organisation=organisation).order_by("pk")
    for row in answers.values_list("response_id", "question_code", "value").iterator(2000):
        digest.update(repr(row).encode())
    tables = {}
    for code in (
        Instrument.objects.filter(organisation=organisation)
        .values_list("code", flat=True)
        .distinct()
    ):
        for later in (Wave.EXIT, Wave.FOLLOW_UP):
            rows = paired_table(organisation, Filters(instrument_code=code, wave_to=later))
            for row in rows:
                row.counts = {}  # only suppressed-safe figures are kept
            tables[f"{code}:{later}"] = as_dict(rows)
    figures = {"paired": tables, "programme": programme_figures(organisation, Filters())}
    with transaction.atomic():  # the snapshot and its audit row together
        snapshot, created = OutcomeSnapshot.objects.get_or_create(
            organisation=organisation,
            taken_on=on,
            defaults={
                "figures": figures,
                "counts": {
                    **organisation_counts(organisation),
                    # What the apps above keep with the night's figures (evidence: its raw counts).
                    **{
                        key: value
                        for counts in hooks.snapshot_counts.call(organisation=organisation, on=on)
                        for key, value in counts.items()
                    },
                },
                "responses": Response.objects.filter(organisation=organisation).count(),
                "answers": answers.count(),
                "source_hash": digest.hexdigest(),
            },
        )
        if created:
            audit_change(AuditEvent.Action.CREATE, snapshot, what=f"outcome snapshot {on:%Y-%m-%d}")
    return snapshot, created
