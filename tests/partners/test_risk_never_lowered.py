"""Issue 19, item 2: her risk is never lowered silently. Each checklist question is answered
yes, no or "not asked"; a checklist with nothing asked is refused; an assessment or a check-in
that would lower her level needs a confirmation and a reason, and records who lowered it, when
and why; a check-in starts at her current level, and "unknown" stays unknown."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from dvpp.models import AuditEvent
from participants.models import RiskFlag
from partners import services
from partners.models import (
    CheckIn,
    MaracReferral,
    Partner,
    RiskAssessment,
    RiskChecklist,
    RiskLowering,
)

TODAY = timezone.localdate()
QUESTIONS = range(1, 25)


def _checklist(org) -> RiskChecklist:
    return RiskChecklist.objects.get(organisation=org.organisation, is_current=True)


def _answers(yes=(), no=()) -> dict:
    """The risk form's POST: the numbers in ``yes`` and ``no`` answered, the rest not sent."""
    data = {"assessed_on": TODAY.isoformat()}
    data.update({f"answer_{n}": "yes" for n in yes})
    data.update({f"answer_{n}": "no" for n in no})
    return data


def _assess(client, partner, data):
    return client.post(reverse("partners:assess_risk", args=[partner.public_id]), data)


def _make_high(org, partner) -> None:
    services.risk_assess(
        partner=partner,
        by=org.partner_support,
        checklist=_checklist(org),
        answers={n: "yes" if n <= 15 else "no" for n in QUESTIONS},
        assessed_on=TODAY,
    )
    partner.refresh_from_db()
    assert partner.risk_level == "high"


def _checkin(level: str, **extra) -> dict:
    return {
        "on": TODAY.isoformat(),
        "method": "call",
        "feels_safe": "fairly",
        "actions": "She says the week was quiet.",
        "risk_level_after": level,
        "next_due": (TODAY + datetime.timedelta(days=14)).isoformat(),
        **extra,
    }


def _checkin_post(client, partner, data):
    return client.post(reverse("partners:add_checkin", args=[partner.public_id]), data)


# The checklist: yes, no, not asked -----------------------------------------------------------


def test_a_checklist_with_nothing_asked_is_refused_and_nothing_saved(client_for, org_a, reached):
    client = client_for(org_a.partner_support)
    response = _assess(client, reached, _answers())
    assert response.status_code == 200
    assert "No question was answered" in response.content.decode()
    assert not RiskAssessment.objects.exists()
    reached.refresh_from_db()
    assert reached.risk_level == ""


def test_every_question_sent_as_not_asked_is_refused_too(client_for, org_a, reached):
    data = {"assessed_on": TODAY.isoformat(), **{f"answer_{n}": "not_asked" for n in QUESTIONS}}
    response = _assess(client_for(org_a.partner_support), reached, data)
    assert "No question was answered" in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_every_question_answered_no_is_accepted_as_low(client_for, org_a, reached):
    response = _assess(client_for(org_a.partner_support), reached, _answers(no=QUESTIONS))
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert (assessment.score, assessment.risk_level, assessment.not_asked) == (0, "low", 0)
    assert set(assessment.answers.values()) == {"no"}
    reached.refresh_from_db()
    assert reached.risk_level == "low"  # unknown to low is a decision, not a lowering
    assert not RiskLowering.objects.exists()


def test_the_score_counts_yeses_and_her_page_shows_how_many_were_not_asked(
    client_for, org_a, reached
):
    client = client_for(org_a.partner_support)
    assert _assess(client, reached, _answers(yes=[1, 2], no=[3, 4, 5])).status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.score == 2 and assessment.yes_items == [1, 2]
    assert [assessment.answer(n) for n in (1, 3, 6)] == ["yes", "no", "not_asked"]
    page = client.get(reverse("partners:detail", args=[reached.public_id])).content.decode()
    assert re.search(r'data-testid="not-asked">19 questions not asked<', page)


def test_a_high_score_still_raises_a_marac_referral(client_for, org_a, reached):
    client = client_for(org_a.partner_support)
    response = _assess(client, reached, _answers(yes=range(1, 15), no=range(15, 25)))
    assert response.status_code == 302
    reached.refresh_from_db()
    assert reached.risk_level == "high"
    assert MaracReferral.objects.get(partner=reached).assessment == RiskAssessment.objects.get()
    assert RiskFlag.objects.filter(participant=reached.participant).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**_answers(yes=[1]), "answer_2": "maybe"}, "Select a valid choice"),
        ({**_answers(yes=[1]), "assessed_on": "not a date"}, "Enter a valid date"),
        (
            {**_answers(yes=[1]), "assessed_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "This date is in the future",
        ),
        ({**_answers(yes=[1]), "professional_judgement": "on"}, "Say why"),
    ],
)
def test_bad_risk_form_input_is_refused_with_its_reason(client_for, org_a, reached, data, message):
    response = _assess(client_for(org_a.partner_support), reached, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert re.search(r'name="answer_1" value="yes"[^>]*checked', content)  # answers kept
    assert not RiskAssessment.objects.exists()


def test_the_service_refuses_an_answer_that_is_not_yes_no_or_not_asked(org_a, reached):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="yes, no or not asked"):
        services.risk_assess(
            partner=reached,
            by=org_a.partner_support,
            checklist=_checklist(org_a),
            answers={1: "perhaps"},
            assessed_on=TODAY,
        )
    assert not RiskAssessment.objects.exists()


# Lowering her level by an assessment ---------------------------------------------------------


def test_an_assessment_that_lowers_her_risk_asks_for_confirmation_and_saves_nothing(
    client_for, org_a, reached
):
    _make_high(org_a, reached)
    client = client_for(org_a.partner_support)
    response = _assess(client, reached, _answers(no=QUESTIONS))
    assert response.status_code == 200
    content = response.content.decode()
    assert "lowers her risk level from High to Low" in content
    assert 'name="confirm_lower"' in content and 'name="lower_reason"' in content
    # Every answer given is still there to confirm.
    assert len(re.findall(r'value="no"[^>]*checked', content)) == 24
    assert RiskAssessment.objects.count() == 1
    reached.refresh_from_db()
    assert reached.risk_level == "high"
    assert not RiskLowering.objects.exists()


def test_the_confirmation_is_not_shown_until_it_is_needed(client_for, org_a, reached):
    _make_high(org_a, reached)
    client = client_for(org_a.partner_support)
    for url in ("partners:detail", "partners:assess_risk", "partners:add_checkin"):
        page = client.get(reverse(url, args=[reached.public_id])).content.decode()
        assert 'name="confirm_lower"' not in page, url


def test_a_confirmed_lowering_without_a_reason_is_refused(client_for, org_a, reached):
    _make_high(org_a, reached)
    data = {**_answers(no=QUESTIONS), "confirm_lower": "on", "lower_reason": "  "}
    response = _assess(client_for(org_a.partner_support), reached, data)
    assert "Say why her risk is lower" in response.content.decode()
    assert RiskAssessment.objects.count() == 1
    reached.refresh_from_db()
    assert reached.risk_level == "high"


def test_a_confirmed_lowering_records_who_when_and_why(client_for, org_a, reached):
    _make_high(org_a, reached)
    client = client_for(org_a.partner_support)
    data = {
        **_answers(no=QUESTIONS),
        "confirm_lower": "on",
        "lower_reason": "He moved abroad; she has a non-molestation order.",
    }
    assert _assess(client, reached, data).status_code == 302
    reached.refresh_from_db()
    assert reached.risk_level == "low"
    lowering = RiskLowering.objects.get()
    assert (lowering.from_level, lowering.to_level, lowering.by) == (
        "high",
        "low",
        org_a.partner_support,
    )
    assert lowering.reason == "He moved abroad; she has a non-molestation order."
    assert lowering.assessment == RiskAssessment.objects.latest("pk")
    assert timezone.now() - lowering.at < datetime.timedelta(minutes=1)
    audit = AuditEvent.objects.get(what="risk lowered high to low")
    assert (audit.user, audit.object_id) == (org_a.partner_support, str(reached.public_id))
    page = client.get(reverse("partners:detail", args=[reached.public_id])).content.decode()
    lowerings = page.split('data-testid="lowerings"')[1].split("</ul>")[0]
    assert "from High to Low" in lowerings and "non-molestation order" in lowerings


def test_the_reason_for_lowering_is_kept_encrypted(org_a, reached):
    from django.db import connection

    _make_high(org_a, reached)
    services.risk_assess(
        partner=reached,
        by=org_a.partner_support,
        checklist=_checklist(org_a),
        answers=dict.fromkeys(QUESTIONS, "no"),
        assessed_on=TODAY,
        confirm_lower=True,
        lower_reason="Distinctive reason Quillfeather",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM partners_risklowering")
        (stored,) = cursor.fetchone()
    assert "Quillfeather" not in stored


# Check-ins: her level to start with, unknown, lowering, raising ------------------------------


def _selected_level(page: str) -> str:
    select = page.split('name="risk_level_after"')[1].split("</select>")[0]
    return re.search(r'<option value="([a-z]*)"[^>]*selected', select).group(1)


def test_a_check_in_starts_at_her_current_level(client_for, org_a, reached):
    client = client_for(org_a.partner_support)
    url = reverse("partners:add_checkin", args=[reached.public_id])
    assert _selected_level(client.get(url).content.decode()) == ""  # unknown, never low
    Partner.objects.filter(pk=reached.pk).update(risk_level="medium")
    assert _selected_level(client.get(url).content.decode()) == "medium"
    page = client.get(reverse("partners:detail", args=[reached.public_id])).content.decode()
    assert _selected_level(page) == "medium"


def test_an_unknown_risk_stays_unknown_after_a_check_in(client_for, org_a, reached):
    client = client_for(org_a.partner_support)
    assert _checkin_post(client, reached, _checkin("")).status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.risk_level_after == ""
    reached.refresh_from_db()
    assert reached.risk_level == ""
    page = client.get(reverse("partners:detail", args=[reached.public_id])).content.decode()
    assert "risk after: unknown" in page
    assert 'data-testid="partner-risk">unknown<' in page


def test_a_check_in_cannot_make_a_known_risk_unknown(client_for, org_a, reached):
    _make_high(org_a, reached)
    response = _checkin_post(client_for(org_a.partner_support), reached, _checkin(""))
    assert response.status_code == 200
    assert "An unknown cannot replace it" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_check_in_that_lowers_her_risk_needs_confirmation(client_for, org_a, reached):
    _make_high(org_a, reached)
    client = client_for(org_a.partner_support)
    response = _checkin_post(client, reached, _checkin("medium"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "lowers her risk level from High to Medium" in content
    assert 'name="confirm_lower"' in content
    assert "She says the week was quiet." in content  # what she said is not lost
    assert not CheckIn.objects.exists()
    reached.refresh_from_db()
    assert reached.risk_level == "high"

    data = _checkin("medium", confirm_lower="on", lower_reason="Safety plan in place.")
    assert _checkin_post(client, reached, data).status_code == 302
    reached.refresh_from_db()
    assert reached.risk_level == "medium"
    lowering = RiskLowering.objects.get()
    assert lowering.checkin == CheckIn.objects.get()
    assert (lowering.from_level, lowering.to_level, lowering.reason) == (
        "high",
        "medium",
        "Safety plan in place.",
    )
    assert lowering.by == org_a.partner_support


def test_raising_her_risk_needs_no_confirmation(client_for, org_a, reached):
    Partner.objects.filter(pk=reached.pk).update(risk_level="low")
    response = _checkin_post(client_for(org_a.partner_support), reached, _checkin("high"))
    assert response.status_code == 302
    reached.refresh_from_db()
    assert reached.risk_level == "high"
    assert RiskFlag.objects.filter(participant=reached.participant).exists()
    assert not RiskLowering.objects.exists()


def test_a_check_in_at_her_level_changes_nothing_and_asks_nothing(client_for, org_a, reached):
    _make_high(org_a, reached)
    assert _checkin_post(client_for(org_a.partner_support), reached, _checkin("high")).status_code
    reached.refresh_from_db()
    assert reached.risk_level == "high" and CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_checkin("extreme"), "Select a valid choice"),
        ({**_checkin("low"), "next_due": "soon"}, "Enter a valid date"),
        (
            _checkin("low", confirm_lower="on", lower_reason="x" * 2001),
            "Ensure this value has at most 2000 characters",
        ),
    ],
)
def test_bad_check_in_risk_input_is_refused(client_for, org_a, reached, data, message):
    _make_high(org_a, reached)
    response = _checkin_post(client_for(org_a.partner_support), reached, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()
    reached.refresh_from_db()
    assert reached.risk_level == "high"


# Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["facilitator", "manager", "administrator"])
def test_only_partner_support_may_open_or_send_these_forms(client_for, org_a, reached, role):
    client = client_for(getattr(org_a, role))
    for name in ("partners:assess_risk", "partners:add_checkin"):
        url = reverse(name, args=[reached.public_id])
        assert client.get(url).status_code == 403, name
    assert _assess(client, reached, _answers(no=QUESTIONS)).status_code == 403
    assert _checkin_post(client, reached, _checkin("high")).status_code == 403
    assert not RiskAssessment.objects.exists() and not CheckIn.objects.exists()


def test_another_organisations_partner_is_not_found(client_for, org_b, reached):
    client = client_for(org_b.partner_support)
    url = reverse("partners:assess_risk", args=[reached.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, _answers(no=QUESTIONS)).status_code == 404
    assert not RiskAssessment.objects.exists()


# The migration of old answers ---------------------------------------------------------------


def test_old_unticked_answers_migrate_as_not_asked_and_keep_score_and_level(org_a, reached):
    migration = importlib.import_module(
        "partners.migrations.0011_risk_answers_lowering_and_referred_on"
    )
    old = RiskAssessment.objects.create(
        partner=reached,
        checklist=_checklist(org_a),
        assessed_on=TODAY,
        yes_items=[2, 5],
        answers={},
        score=2,
        risk_level="low",
    )
    migration.fill(django_apps, None)
    old.refresh_from_db()
    assert old.answers["2"] == old.answers["5"] == "yes"
    assert {old.answer(n) for n in QUESTIONS if n not in (2, 5)} == {"not_asked"}
    assert (old.score, old.risk_level, old.not_asked) == (2, "low", 22)


def test_the_refusals_and_the_not_asked_count_read_in_russian(client_for, org_a, reached):
    _make_high(org_a, reached)
    client = client_for(org_a.partner_support)
    client.cookies["django_language"] = "ru"
    refused = _assess(client, reached, _answers()).content.decode()
    assert "Ни на один вопрос нет ответа" in refused
    lowered = _assess(client, reached, _answers(no=[1, 2])).content.decode()
    assert "было «Высокий», станет «Низкий»" in lowered
    page = client.get(reverse("partners:detail", args=[reached.public_id])).content.decode()
    assert "вопросов не задано" not in page  # the first assessment asked every question
    data = {**_answers(no=[1, 2]), "confirm_lower": "on", "lower_reason": "Он уехал."}
    assert _assess(client, reached, data).status_code == 302
    page = client.get(reverse("partners:detail", args=[reached.public_id])).content.decode()
    assert "22 вопроса не задано" in page
    assert "с «Высокий» на «Низкий»" in page


def test_erasing_her_record_clears_why_her_risk_was_lowered_and_keeps_the_change(org_a, reached):
    from partners.erasure import partner_erase

    Partner.objects.filter(pk=reached.pk).update(risk_level="medium")
    services.risk_assess(
        partner=reached,
        by=org_a.partner_support,
        checklist=_checklist(org_a),
        answers=dict.fromkeys(QUESTIONS, "no"),
        assessed_on=TODAY,
        confirm_lower=True,
        lower_reason="She moved to her sister's",
    )
    Partner.objects.filter(pk=reached.pk).update(state=Partner.State.CLOSED)
    removed = partner_erase(partner=Partner.objects.get(pk=reached.pk), by=org_a.partner_support)
    assert removed["risk_lowerings"] == 1
    lowering = RiskLowering.objects.get()
    assert (lowering.reason, lowering.from_level, lowering.to_level) == ("", "medium", "low")


def test_her_subject_access_package_holds_each_lowering_and_each_answer(org_a, reached):
    import io
    import json
    import zipfile

    from partners.subject_access import partner_package

    Partner.objects.filter(pk=reached.pk).update(risk_level="high")
    services.risk_assess(
        partner=reached,
        by=org_a.partner_support,
        checklist=_checklist(org_a),
        answers={1: "yes", 2: "no"},
        assessed_on=TODAY,
        confirm_lower=True,
        lower_reason="Injunction granted",
    )
    archive = zipfile.ZipFile(io.BytesIO(partner_package(partner=reached)))
    data = json.loads(archive.read("data.json"))
    assert [a["answer"] for a in data["risk_answers"][:3]] == ["yes", "no", "not_asked"]
    assert [
        (row["from_level"], row["to_level"], row["reason"]) for row in data["risk_lowerings"]
    ] == [("high", "low", "Injunction granted")]
