"""The referrer's progress report: printable page and PDF, in the man's language."""

import io

from django.urls import reverse
from pypdf import PdfReader

from sessions import services
from tests.sessions.conftest import scheduled


def _placed_man(org_a, make_group, waiting_man, language):
    group = make_group(weeks_ago=2)
    man = waiting_man(preferred_language=language, last_name="Орлов", first_name="Денис")
    services.enrolment_allocate(
        participant=man, group=group, by=org_a.manager, first_session=scheduled(group)[0]
    )
    services.attendance_mark(
        session=scheduled(group)[0], participant=man, outcome="present", by=org_a.facilitator
    )
    services.attendance_mark(
        session=scheduled(group)[1], participant=man, outcome="unauthorised", by=org_a.facilitator
    )
    return man


def test_the_printable_report_is_in_the_mans_language(client_for, org_a, make_group, waiting_man):
    man = _placed_man(org_a, make_group, waiting_man, "ru")
    content = (
        client_for(org_a.facilitator)
        .get(reverse("participants:progress", args=[man.public_id]))
        .content.decode()
    )
    report = content.split('data-testid="progress-report"')[1]
    assert "Отчёт о прохождении программы" in report
    assert "Орлов Денис" in report
    assert "Неуважительный пропуск" in report


def test_the_pdf_report_carries_the_figures_in_the_mans_language(
    client_for, org_a, make_group, waiting_man
):
    man = _placed_man(org_a, make_group, waiting_man, "ru")
    response = client_for(org_a.manager).get(
        reverse("participants:progress", args=[man.public_id]), {"format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert f"progress-{man.reference}.pdf" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Отчёт о прохождении программы" in text
    assert "Орлов Денис" in text
    assert "1 из 2" in text


def test_the_english_pdf_for_an_english_speaking_man(client_for, org_a, make_group, waiting_man):
    man = _placed_man(org_a, make_group, waiting_man, "en")
    response = client_for(org_a.manager).get(
        reverse("participants:progress", args=[man.public_id]),
        {"format": "pdf"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Programme progress report" in text
    assert "1 of 2 sessions attended (50%)" in text


def test_a_man_not_yet_in_a_group_gets_a_report_that_says_so(client_for, org_a, waiting_man):
    man = waiting_man(preferred_language="en")
    content = (
        client_for(org_a.facilitator)
        .get(reverse("participants:progress", args=[man.public_id]))
        .content.decode()
    )
    assert "Not yet allocated to a group." in content
