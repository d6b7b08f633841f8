"""Reminders, notices, the nightly report, the morning digest and retention: each once, never
lost, never to the wrong person (the eager, in-process half; test_worker.py has the real one)."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dvpp import notifications
from dvpp.models import Notification
from outcomes import nightly
from participants.models import Status
from partners import digest
from sessions import reminders
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from tests.factories import ParticipantFactory, ReferralFactory


@pytest.fixture
def sms_file(settings, tmp_path):
    path = tmp_path / "sms.jsonl"
    settings.SMS_BACKEND = "dvpp.sms.LogSmsBackend"
    settings.SMS_FILE_PATH = str(path)
    return path


def sent_sms(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def tomorrow_session(org_a):
    """A group meeting tomorrow at 18:00 with two men: one who wants SMS reminders in Russian,
    one who did not consent."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme_install_standard(org_a.organisation),
            "name": "G",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Community Centre, Room 2",
            "weekday": tomorrow.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": tomorrow,
            "capacity": 12,
            "intake": "rolling",
        },
    )
    session = group.sessions.order_by("date").first()
    for consent in (True, False):
        man = ParticipantFactory(
            organisation=org_a.organisation,
            status=Status.WAITING_LIST,
            phone="+79000000001" if consent else "+79000000002",
            reminder_consent=consent,
            reminder_channel="sms" if consent else "none",
            preferred_language="ru",
        )
        ReferralFactory(participant=man)
        session_services.enrolment_allocate(
            participant=man, group=group, by=org_a.manager, first_session=session
        )
    return session


def _at(session, hours_before):
    starts = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
    return starts - datetime.timedelta(hours=hours_before)


def test_a_due_reminder_goes_once_to_the_man_who_consented_in_his_language(
    tomorrow_session, sms_file
):
    now = _at(tomorrow_session, 23)
    assert reminders.queue_due_reminders(now) == 1
    assert reminders.queue_due_reminders(now) == 0  # the task ran twice: nothing new
    notifications.send_pending(now)
    notifications.send_pending(now)
    messages = sent_sms(sms_file)
    assert [m["to"] for m in messages] == ["+79000000001"]
    assert "18:00" in messages[0]["text"] and "Community Centre" in messages[0]["text"]
    assert "групповое занятие" in messages[0]["text"]


def test_no_reminder_before_its_time(tomorrow_session, sms_file):
    assert reminders.queue_due_reminders(_at(tomorrow_session, 30)) == 0


def test_a_reminder_that_fell_due_while_nothing_ran_still_goes_before_the_session(
    tomorrow_session, sms_file
):
    assert reminders.queue_due_reminders(_at(tomorrow_session, 2)) == 1
    notifications.send_pending(_at(tomorrow_session, 2))
    assert len(sent_sms(sms_file)) == 1


def test_no_reminder_once_the_session_has_started(tomorrow_session, sms_file):
    reminders.queue_due_reminders(_at(tomorrow_session, 1))
    counts = notifications.send_pending(_at(tomorrow_session, -0.5))
    assert counts["skipped"] == 1 and sent_sms(sms_file) == []


def test_discreet_wording_says_nothing_of_the_programme(org_a, tomorrow_session, sms_file):
    org_a.organisation.discreet_sms = True
    org_a.organisation.save()
    now = _at(tomorrow_session, 20)
    reminders.queue_due_reminders(now)
    notifications.send_pending(now)
    text = sent_sms(sms_file)[0]["text"]
    assert "встреч" in text.lower() and "групп" not in text.lower()


def test_a_cancelled_session_sends_a_notice_and_no_reminder(org_a, tomorrow_session, sms_file):
    now = _at(tomorrow_session, 20)
    reminders.queue_due_reminders(now)
    session_services.session_cancel(
        session=tomorrow_session, by=org_a.facilitator, reason="Illness"
    )
    notifications.send_pending(now)
    texts = [m["text"] for m in sent_sms(sms_file)]
    assert len(texts) == 1 and "отменено" in texts[0]
    kinds = dict(Notification.objects.values_list("kind", "state"))
    assert kinds == {"reminder": "skipped", "cancel": "sent"}


def test_a_moved_session_sends_a_notice_with_the_new_time(org_a, tomorrow_session, sms_file):
    session_services.session_move(
        session=tomorrow_session,
        by=org_a.facilitator,
        date=tomorrow_session.date + datetime.timedelta(days=1),
        start_time=datetime.time(17, 0),
        reason="Room",
    )
    notifications.send_pending()
    assert "17:00" in sent_sms(sms_file)[0]["text"]


def test_a_failing_gateway_is_retried_with_backoff_then_shown_as_failed(
    client_for, org_a, tomorrow_session, settings
):
    settings.SMS_BACKEND = "dvpp.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/never"  # nothing listens on the discard port
    now = _at(tomorrow_session, 20)
    reminders.queue_due_reminders(now)
    moments = [now]
    for attempt in range(1, 6):
        counts = notifications.send_pending(moments[-1])
        notification = Notification.objects.get()
        if attempt < 5:
            assert counts["retry"] == 1
            assert notification.next_attempt_at == moments[-1] + datetime.timedelta(
                minutes=2**attempt
            )
            assert notifications.send_pending(moments[-1])["retry"] == 0  # not before its time
            moments.append(notification.next_attempt_at)
        else:
            assert counts["failed"] == 1 and notification.state == "failed"
    content = client_for(org_a.manager).get(reverse("failed_notifications")).content.decode()
    assert "gateway refused" in content
    client_for(org_a.manager).post(
        reverse("failed_notifications"), {"retry": Notification.objects.get().pk}
    )
    assert Notification.objects.get().state == "pending"


def test_the_nightly_report_is_sent_once_to_managers_with_attachments(org_a):
    from outcomes.models import OutcomeSnapshot

    org_a.manager.email = "manager@example.org"
    org_a.manager.save()
    for _ in range(2):
        nightly.nightly_outcome_report()
        notifications.send_pending()
    assert OutcomeSnapshot.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]
    names = [name for name, _content, _type in mail.outbox[0].attachments]
    assert names[0].endswith(".csv") and names[1].endswith(".xlsx")


def test_the_morning_digest_reaches_partner_support_only_and_carries_no_contact_details(org_a):
    from partners import services as partner_services

    man = ParticipantFactory(organisation=org_a.organisation)
    ReferralFactory(
        participant=man,
        received_on=timezone.localdate() - datetime.timedelta(days=40),
        made_on=timezone.localdate() - datetime.timedelta(days=41),
    )
    partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={
            "last_name": "Hidden",
            "first_name": "Ada",
            "phone": "07700 900777",
            "relationship": "partner",
            # Passed to partner support with his referral: long past the limit of working days.
            "referred_on": timezone.localdate() - datetime.timedelta(days=40),
        },
    )
    for _ in range(2):
        digest.iss_digest()
        notifications.send_pending()
    assert [m.to for m in mail.outbox] == [[org_a.partner_support.email]]
    body = mail.outbox[0].body
    assert f"Ada H. (case {man.reference})" in body and "07700" not in body and "Hidden" not in body


def test_healthz_reports_the_age_of_the_last_nightly_run(client, db):
    from dvpp.models import JobRun

    assert client.get("/healthz").json()["last_nightly_run_hours"] is None
    JobRun.objects.create(
        name="nightly_outcome_report", finished_at=timezone.now() - datetime.timedelta(hours=5)
    )
    assert client.get("/healthz").json()["last_nightly_run_hours"] == 5.0


def test_celery_is_configured_for_safety():
    from dvpp.celery import app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.accept_content == ["json"] and app.conf.task_serializer == "json"
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
    assert set(app.conf.beat_schedule) == {
        "queue-due-reminders",
        "send-pending-notifications",
        "nightly-outcome-report",
        "nightly-retention",
        "nightly-clear-sessions",
        "morning-iss-digest",
        "nightly-completion-deadlines",
    }


def test_sms_parts_follow_the_gsm_and_cyrillic_encodings():
    from dvpp.sms import sms_parts

    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("a" * 306) == 2 and sms_parts("a" * 307) == 3
    assert sms_parts("€" * 80) == 1 and sms_parts("€" * 81) == 2  # two places each
    assert sms_parts("я" * 70) == 1 and sms_parts("я" * 71) == 2
    assert sms_parts("я" * 134) == 2 and sms_parts("я" * 135) == 3
    assert sms_parts("a" * 69 + "я") == 1  # one Cyrillic letter makes the whole message UCS-2


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("kind", ["reminder", "cancel", "move"])
def test_every_session_sms_fits_two_messages_in_either_language(org_a, language, kind):
    from django.utils import translation

    from dvpp.sms import sms_parts
    from sessions.reminders import _session_text

    venue = (
        "Кризисный центр, ул. Малышева, 145, каб. 12"
        if language == "ru"
        else "Room 12, 145 High Street"
    )
    session = SimpleNamespace(
        date=datetime.date(2026, 12, 30),
        start_time=datetime.time(18, 30),
        group=SimpleNamespace(venue=venue),
    )
    for discreet in (False, True):
        org_a.organisation.discreet_sms = discreet
        with translation.override(language):
            _subject, body = _session_text(session, kind, org_a.organisation, "sms")
        assert sms_parts(body) <= 2, body


@pytest.fixture
def gateway_sms(org_a):
    return Notification.objects.create(
        organisation=org_a.organisation,
        key="reminder:sms-status",
        kind="reminder",
        channel="sms",
        to="+79001234567",
        body="Reminder",
        state=Notification.State.SENT,
        gateway_id="gw-42",
    )


TOKEN = "s3cret-token"


def _report(client, body, token=TOKEN):
    return client.post(
        reverse("sms_status"),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_gateway_reports_a_delivery(client, gateway_sms, settings):
    settings.SMS_STATUS_TOKEN = "s3cret-token"
    assert _report(client, {"id": "gw-42", "status": "DELIVRD"}).status_code == 204
    gateway_sms.refresh_from_db()
    assert gateway_sms.delivered_at is not None and gateway_sms.delivery_status == "delivrd"


def test_an_undelivered_message_shows_as_failed_to_staff(
    client, client_for, org_a, gateway_sms, settings
):
    settings.SMS_STATUS_TOKEN = "s3cret-token"
    assert _report(client, {"id": "gw-42", "status": "undelivered"}).status_code == 204
    gateway_sms.refresh_from_db()
    assert gateway_sms.state == Notification.State.FAILED
    page = client_for(org_a.manager).get(reverse("failed_notifications")).content.decode()
    assert "gateway: undelivered" in page


def test_delivery_reports_without_the_token_or_with_bad_input_are_refused(
    client, gateway_sms, settings
):
    settings.SMS_STATUS_TOKEN = ""
    assert _report(client, {"id": "gw-42", "status": "delivered"}).status_code == 404
    settings.SMS_STATUS_TOKEN = "s3cret-token"
    assert _report(client, {"id": "gw-42", "status": "delivered"}, token="guess").status_code == 401
    assert _report(client, {"status": "delivered"}).status_code == 400
    assert _report(client, {"id": "gw-99", "status": "delivered"}).status_code == 404
    gateway_sms.refresh_from_db()
    assert gateway_sms.delivered_at is None
