"""No log line, and no e-mail to anyone outside the wall, carries anything of a partner.

Every logger is captured at DEBUG, including those that do not pass their records to the root
(``django``, ``django.server``, ``axes``), while partner support does the whole of her record
through the pages: first entry, contact, check-in, risk, MARAC, safety plan, survey, a refused
form, another organisation's 404, a facilitator's 403, a failed CSRF check and a server error
with her details in the request. Then the background jobs run and send their e-mails.
"""

import datetime
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dvpp import tasks
from outcomes import tasks as outcome_tasks
from partners import tasks as partner_tasks
from partners.models import Partner
from sessions import tasks as session_tasks
from tests.conftest import pass_second_factor
from tests.factories import ParticipantFactory, ReferralFactory
from tests.partners.conftest import SECRETS

from .test_crawl import HER_WORDS, HUNTED

TODAY = timezone.localdate()


@pytest.fixture
def every_log(caplog):
    """caplog, fed by every logger, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    closed = [logger for logger in loggers if isinstance(logger, logging.Logger)]
    changed = []
    for logger in closed:
        changed.append((logger, logger.level, logger.propagate))
        logger.setLevel(logging.DEBUG)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for logger, level, _propagate in changed:
        logger.setLevel(level)
        if caplog.handler in logger.handlers:
            logger.removeHandler(caplog.handler)


def _record_texts(record: logging.LogRecord) -> list[str]:
    texts = [str(record.msg), record.getMessage()]
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    texts += [repr(arg) for arg in args or ()]
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        texts.append(record.exc_text)
    if record.stack_info:
        texts.append(record.stack_info)
    return texts


def _her_details(user_form: dict) -> dict:
    return {
        **user_form,
        "relationship": "ex_partner",
        "language": "en",
        "safe_contact_method": "text",
        "state": "not_contacted",
        "consent_to_contact": "on",
    }


def test_partner_support_main_path_logs_nothing_of_her(
    client_for, org_a, org_b, every_log, settings
):
    man = ParticipantFactory(organisation=org_a.organisation, last_name="Okafor")
    ReferralFactory(participant=man)
    client = client_for(org_a.partner_support)

    # A refused first entry (no relationship chosen), then the real one.
    refused = client.post(
        reverse("partners:create"),
        {**_her_details(SECRETS), "participant": man.pk, "relationship": ""},
    )
    assert refused.status_code == 200 and not Partner.objects.exists()
    response = client.post(
        reverse("partners:create"), {**_her_details(SECRETS), "participant": man.pk}
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    her = partner.public_id

    client.get(reverse("partners:detail", args=[her]))
    client.get(reverse("partners:edit", args=[her]))
    client.post(
        reverse("partners:add_attempt", args=[her]),
        {
            "at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "method": "call",
            "outcome": "reached",
        },
    )
    client.post(
        reverse("partners:add_checkin", args=[her]),
        {
            "on": TODAY.isoformat(),
            "method": "call",
            "feels_safe": "not_very",
            "incidents": ["threats"],
            "actions": HER_WORDS["checkin"],
            "risk_level_after": "high",
            "next_due": (TODAY + datetime.timedelta(days=7)).isoformat(),
        },
    )
    client.post(
        reverse("partners:assess_risk", args=[her]),
        {
            "assessed_on": TODAY.isoformat(),
            **{f"answer_{n}": "yes" if n <= 15 else "no" for n in range(1, 25)},
            "professional_judgement": "on",
            "judgement_note": HER_WORDS["judgement"],
        },
    )
    partner.refresh_from_db()
    assert partner.risk_level == "high" and partner.marac.exists()
    client.post(
        reverse("partners:update_marac", args=[her, partner.marac.get().pk]),
        {"referred_on": TODAY.isoformat(), "outcome": HER_WORDS["marac"]},
    )
    client.post(
        reverse("partners:save_plan", args=[her]),
        {
            "contacts": HER_WORDS["plan"],
            "safe_places": SECRETS["address"],
            "review_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
        },
    )
    client.post(
        reverse("outcomes:partner_survey", args=[her, "partner-safety"]),
        {
            "wave": "baseline",
            "answered_on": TODAY.isoformat(),
            "q_injured": "yes",
            "q_feels_safe": "not_very",
            "q_comments": HER_WORDS["survey"],
        },
    )
    # Refused forms, with her details in them: a check-in with a bad date, an edit with an
    # unknown relationship.
    client.post(
        reverse("partners:add_checkin", args=[her]),
        {"on": "bad", "actions": HER_WORDS["checkin"]},
    )
    assert (
        client.post(
            reverse("partners:edit", args=[her]), {**_her_details(SECRETS), "relationship": "x"}
        ).status_code
        == 200
    )
    assert partner.checkins.count() == 1

    # Others: a 404 from another organisation, a 403 for a facilitator.
    assert (
        client_for(org_b.partner_support).get(reverse("partners:detail", args=[her])).status_code
        == 404
    )
    assert (
        client_for(org_a.facilitator).get(reverse("partners:detail", args=[her])).status_code == 403
    )

    # A forged form (CSRF check fails) carrying her details.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(org_a.partner_support)
    pass_second_factor(forged, org_a.partner_support)
    assert (
        forged.post(reverse("partners:edit", args=[her]), _her_details(SECRETS)).status_code == 403
    )

    # A server error while her details are in the request (the test URLconf's failing view).
    settings.ROOT_URLCONF = "tests.dvpp.failing_urls"
    crashing = client_for(org_a.partner_support)
    crashing.raise_request_exception = False
    assert crashing.post("/boom/", _her_details(SECRETS)).status_code == 500
    assert crashing.get("/boom/", {"q": SECRETS["last_name"]}).status_code == 500
    settings.ROOT_URLCONF = "dvpp.urls"

    # The night's and the morning's jobs.
    mail.outbox.clear()
    partner_tasks.digest()
    outcome_tasks.nightly_report()
    session_tasks.send_reminders()
    tasks.send_pending_notifications()

    records = every_log.records
    levels = {record.levelname for record in records}
    assert {"WARNING", "ERROR"} <= levels, levels  # the 404/403/CSRF and the 500 were logged
    assert any(record.name == "django.request" and record.exc_info for record in records)
    found = [
        (record.name, record.levelname, secret)
        for record in records
        for text in _record_texts(record)
        for secret in HUNTED
        if secret in text
    ]
    assert not found, found

    # E-mails: her worker's digest names her by given name and initial, nothing else; nobody
    # else's e-mail carries anything of her.
    assert mail.outbox, "the jobs sent nothing: the check below would be empty"
    for message in mail.outbox:
        content = "\n".join(
            [message.subject, message.body]
            + [
                attachment[1].decode("utf-8", "replace")
                if isinstance(attachment[1], bytes)
                else str(attachment[1])
                for attachment in message.attachments
            ]
        )
        allowed = {SECRETS["first_name"]} if message.to == [org_a.partner_support.email] else set()
        for secret in HUNTED:
            if secret not in allowed:
                assert secret not in content, (message.to, message.subject, secret)
