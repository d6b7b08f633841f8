"""Consent per purpose: giving, validity, warnings, and what a withdrawal stops at once."""

import datetime
import uuid

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent import services
from consent.models import ConsentTemplate, How, ManConsent, Purpose, Subject
from dvpp import notifications
from dvpp.models import Notification
from tests.factories import ParticipantFactory

TODAY = timezone.localdate()


def template(organisation, purpose, subject=Subject.MAN):
    return ConsentTemplate.objects.get(
        organisation=organisation, subject=subject, purpose=purpose, is_current=True
    )


@pytest.fixture
def man(org_a):
    return ParticipantFactory(
        organisation=org_a.organisation,
        phone="07700 900123",
        reminder_consent=True,
        reminder_channel="sms",
    )


def give(man, purpose, by, **kwargs):
    return services.man_consent_give(
        participant=man,
        template=template(man.organisation, purpose),
        given_on=kwargs.pop("given_on", TODAY),
        how=kwargs.pop("how", How.IN_PERSON),
        by=by,
        **kwargs,
    )


def test_a_new_organisation_starts_with_templates_in_both_languages(org_a):
    templates = ConsentTemplate.objects.filter(organisation=org_a.organisation)
    assert {(t.subject, t.purpose) for t in templates} >= {
        (Subject.MAN, Purpose.PROGRAMME),
        (Subject.MAN, Purpose.SPECIAL),
        (Subject.PARTNER, Purpose.SUPPORT),
    }
    assert all(t.title_ru and t.data_ru and t.actions_ru for t in templates)


def test_consent_is_valid_for_the_templates_period(org_a, man):
    record = give(man, Purpose.PROGRAMME, org_a.facilitator)
    assert record.valid_until == TODAY + relativedelta(months=36) - datetime.timedelta(days=1)
    assert record.is_valid()
    assert not record.is_valid(record.valid_until + datetime.timedelta(days=1))


def test_health_data_needs_a_signed_paper_consent(org_a, man):
    with pytest.raises(ValidationError, match="only a signed paper consent counts"):
        give(man, Purpose.SPECIAL, org_a.facilitator, how=How.PHONE)
    assert not ManConsent.objects.exists()
    assert give(man, Purpose.SPECIAL, org_a.facilitator, how=How.SIGNED).is_valid()


def test_bad_consents_are_refused_and_save_nothing(org_a, org_b, man):
    with pytest.raises(ValidationError, match="future"):
        give(man, Purpose.PROGRAMME, org_a.facilitator, given_on=TODAY + datetime.timedelta(1))
    with pytest.raises(ValidationError, match="this organisation"):
        services.man_consent_give(
            participant=man,
            template=template(org_b.organisation, Purpose.PROGRAMME),
            given_on=TODAY,
            how=How.IN_PERSON,
            by=org_a.facilitator,
        )
    assert not ManConsent.objects.exists()


def test_a_double_submitted_consent_is_recorded_once(org_a, man):
    key = uuid.uuid4()
    give(man, Purpose.PROGRAMME, org_a.facilitator, submission_key=key)
    give(man, Purpose.PROGRAMME, org_a.facilitator, submission_key=key)
    assert ManConsent.objects.count() == 1


def test_the_case_warns_without_a_valid_consent(org_a, man):
    warnings = services.man_consent_warnings(man)
    assert "No valid consent: Taking part in the programme." in warnings
    assert "Reminders are switched on, but there is no valid consent to messages." in warnings
    give(man, Purpose.PROGRAMME, org_a.facilitator)
    give(man, Purpose.MESSAGES, org_a.facilitator)
    assert services.man_consent_warnings(man) == []


def test_withdrawing_consent_to_messages_stops_reminders_at_once(org_a, man, settings):
    settings.SMS_BACKEND = "dvpp.sms.LogSmsBackend"
    record = give(man, Purpose.MESSAGES, org_a.facilitator)
    queued, _ = notifications.notify(
        organisation=org_a.organisation,
        key=f"reminder:1:{man.pk}:sms",
        kind="reminder",
        channel="sms",
        to=man.phone,
        body="Reminder",
        participant_id=man.pk,
    )
    services.man_consent_withdraw(record=record, on=TODAY, how=How.PHONE, by=org_a.facilitator)
    man.refresh_from_db()
    assert not man.reminder_consent
    queued.refresh_from_db()
    assert queued.state == Notification.State.SKIPPED
    assert notifications.send_pending()["sent"] == 0
    assert not record.__class__.objects.get(pk=record.pk).is_valid()


def test_a_message_queued_before_a_withdrawal_is_not_sent(org_a, man, settings):
    settings.SMS_BACKEND = "dvpp.sms.LogSmsBackend"
    notifications.notify(
        organisation=org_a.organisation,
        key="notice",
        kind="move",
        channel="sms",
        to=man.phone,
        body="Moved",
        participant_id=man.pk,
    )
    # His choice switched off some other way (the case form): still nothing goes.
    type(man).objects.filter(pk=man.pk).update(reminder_consent=False)
    assert notifications.send_pending()["sent"] == 0


def test_a_withdrawal_is_refused_twice_or_before_the_consent(org_a, man):
    record = give(man, Purpose.PROGRAMME, org_a.facilitator, given_on=TODAY - datetime.timedelta(5))
    with pytest.raises(ValidationError, match="before it was given"):
        services.man_consent_withdraw(
            record=record, on=TODAY - datetime.timedelta(6), how=How.PHONE, by=org_a.facilitator
        )
    services.man_consent_withdraw(record=record, on=TODAY, how=How.PHONE, by=org_a.facilitator)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.man_consent_withdraw(record=record, on=TODAY, how=How.PHONE, by=org_a.facilitator)


def test_a_request_in_russia_is_due_in_ten_working_days(org_a, man):
    from consent.services import subject_request_log

    org_a.organisation.country = "RU"
    org_a.organisation.holiday_region = ""
    org_a.organisation.save()
    man.organisation.refresh_from_db()
    logged = subject_request_log(
        person=man, kind="access", received_on=datetime.date(2026, 4, 29), by=org_a.manager
    )
    # 1 May and 9–11 May 2026 are days off in Russia.
    assert logged.due_on == datetime.date(2026, 5, 15)


def test_a_request_in_the_uk_is_due_in_a_month(org_a, man):
    from consent.services import subject_request_log

    logged = subject_request_log(
        person=man, kind="access", received_on=datetime.date(2026, 1, 31), by=org_a.manager
    )
    assert logged.due_on == datetime.date(2026, 2, 28)


def test_a_request_received_in_the_future_is_refused(org_a, man):
    from consent.models import SubjectRequest
    from consent.services import subject_request_log

    with pytest.raises(ValidationError, match="future"):
        subject_request_log(
            person=man,
            kind="access",
            received_on=TODAY + datetime.timedelta(days=1),
            by=org_a.manager,
        )
    assert not SubjectRequest.objects.exists()


def test_a_submission_key_of_another_persons_consent_is_refused(org_a, man):
    other = ParticipantFactory(organisation=org_a.organisation)
    key = uuid.uuid4()
    give(man, Purpose.PROGRAMME, org_a.facilitator, submission_key=key)
    with pytest.raises(ValidationError, match="already used"):
        give(other, Purpose.PROGRAMME, org_a.facilitator, submission_key=key)
    assert not ManConsent.objects.filter(participant=other).exists()


def test_the_same_consent_form_sent_twice_is_one_consent_audited_once(org_a, man):
    from dvpp.models import AuditEvent

    key = uuid.uuid4()
    first = give(man, Purpose.PROGRAMME, org_a.facilitator, submission_key=key)
    again = give(man, Purpose.PROGRAMME, org_a.facilitator, submission_key=key)
    assert again.pk == first.pk
    assert ManConsent.objects.filter(participant=man).count() == 1
    rows = AuditEvent.objects.filter(object_id=str(man.public_id), what="consent: programme")
    assert rows.count() == 1
