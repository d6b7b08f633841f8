"""Assessment: appointments, then an outcome that moves the case on and sets the risk level."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Status

TODAY = timezone.localdate()


def test_first_appointment_moves_a_referred_case_into_assessment(client_for, org_a, case_a):
    response = client_for(org_a.facilitator).post(
        reverse("participants:add_appointment", args=[case_a.public_id]),
        {"date": TODAY.isoformat(), "attended": "true", "assessor": org_a.facilitator.pk},
        follow=True,
    )
    assert "Assessment appointment recorded." in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == Status.ASSESSMENT
    appointment = case_a.assessments.get().appointments.get()
    assert appointment.attended is True and appointment.assessor == org_a.facilitator


def test_attendance_cannot_be_recorded_for_a_future_appointment(org_a, case_a):
    with pytest.raises(ValidationError, match="once the day has come"):
        services.assessment_add_appointment(
            participant=case_a,
            by=org_a.facilitator,
            date=TODAY + datetime.timedelta(days=3),
            attended=False,
            assessor=org_a.facilitator,
        )
    assert not case_a.assessments.exists()


def test_an_assessor_of_another_organisation_is_refused(client_for, org_a, org_b, case_a):
    client_for(org_a.facilitator).post(
        reverse("participants:add_appointment", args=[case_a.public_id]),
        {"date": TODAY.isoformat(), "attended": "unknown", "assessor": org_b.facilitator.pk},
    )
    assert not case_a.assessments.exists()


def test_suitable_outcome_puts_him_on_the_waiting_list_with_a_risk_level(client_for, org_a, case_a):
    client = client_for(org_a.manager)
    response = client.post(
        reverse("participants:decide_assessment", args=[case_a.public_id]),
        {
            "outcome": "suitable",
            "reason": "",
            "risk_level": "medium",
            "partner_details_passed_on": TODAY.isoformat(),
            "decided_on": TODAY.isoformat(),
        },
        follow=True,
    )
    assert "Assessment outcome recorded." in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == Status.WAITING_LIST
    assert (case_a.risk_level, case_a.risk_set_by, case_a.risk_set_on) == (
        "medium",
        org_a.manager,
        TODAY,
    )
    assessment = case_a.assessments.get()
    assert assessment.partner_details_passed_on == TODAY
    statuses = list(case_a.status_changes.values_list("to_status", flat=True))
    assert statuses[:2] == [Status.WAITING_LIST, Status.ASSESSMENT]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "suitable", "risk_level": ""}, "Set the risk level"),
        ({"outcome": "unsuitable", "reason": ""}, "Say why."),
        (
            {
                "outcome": "suitable",
                "risk_level": "low",
                "decided_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
            },
            "This date is in the future.",
        ),
    ],
)
def test_bad_outcome_is_refused_with_a_message(client_for, org_a, case_a, data, message):
    form = {"reason": "", "decided_on": TODAY.isoformat(), **data}
    response = client_for(org_a.manager).post(
        reverse("participants:decide_assessment", args=[case_a.public_id]), form, follow=True
    )
    assert message in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == Status.REFERRED
    assert not case_a.assessments.exclude(outcome="").exists()


@pytest.mark.parametrize(
    ("outcome", "status"), [("unsuitable", Status.UNSUITABLE), ("not_engaged", Status.NOT_ENGAGED)]
)
def test_negative_outcomes_close_the_case_with_the_reason(org_a, case_a, outcome, status):
    services.assessment_decide(
        participant=case_a,
        by=org_a.manager,
        outcome=outcome,
        reason="Denies all violence.",
        risk_level="",
        partner_details_passed_on=None,
        decided_on=TODAY,
    )
    case_a.refresh_from_db()
    assert case_a.status == status
    assert case_a.status_changes.first().reason == "Denies all violence."


def test_a_case_on_the_waiting_list_cannot_be_assessed_again(org_a, case_a):
    case_a.status = Status.WAITING_LIST
    case_a.save()
    with pytest.raises(ValidationError, match="not in assessment"):
        services.assessment_decide(
            participant=case_a,
            by=org_a.manager,
            outcome="suitable",
            reason="",
            risk_level="low",
            partner_details_passed_on=None,
            decided_on=TODAY,
        )


def test_risk_level_can_be_confirmed_from_the_case_page(client_for, org_a, case_a):
    client_for(org_a.facilitator).post(
        reverse("participants:set_risk", args=[case_a.public_id]), {"level": "high"}
    )
    case_a.refresh_from_db()
    assert (case_a.risk_level, case_a.risk_set_by) == ("high", org_a.facilitator)
