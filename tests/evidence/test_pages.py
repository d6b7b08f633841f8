"""The evidence pages as people use them: recording incidents on his case and from her record
(the wall: his side learns only that a confidential report exists), his change assessment at
exit, comparison groups, the import and the report with its downloads."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dvpp.models import AuditEvent
from evidence.defaults import CHANGE_BEHAVIOURS
from evidence.models import ChangeAssessment, ComparisonCohort, Incident, IncidentCategory
from participants.models import Participant, Status
from partners import services as partner_services
from tests.factories import ParticipantFactory, ReferralFactory

TODAY = timezone.localdate()
REFERRED = TODAY - datetime.timedelta(days=200)


@pytest.fixture
def man(org_a):
    participant = ParticipantFactory(organisation=org_a.organisation, status=Status.IN_PROGRAMME)
    ReferralFactory(
        participant=participant, received_on=REFERRED, made_on=REFERRED - datetime.timedelta(1)
    )
    return participant


def category(organisation, code="stalking"):
    return IncidentCategory.objects.get(organisation=organisation, code=code)


def incident_body(org, **changes):
    body = {
        "occurred_on": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "known_via": "police",
        "category": category(org.organisation).pk,
        "police_involved": "on",
        "outcome": "charge",
        "submission_key": str(uuid.uuid4()),
    }
    body.update(changes)
    return body


def test_a_facilitator_records_an_incident_on_his_case_once(client_for, org_a, man):
    client = client_for(org_a.facilitator)
    url = reverse("evidence:add_incident", args=[man.public_id])
    body = incident_body(org_a)
    client.post(url, body)
    client.post(url, body)  # a double tap: the same submission key
    incident = Incident.objects.get(participant=man)
    assert (incident.known_via, incident.outcome, incident.police_involved) == (
        "police",
        "charge",
        True,
    )
    page = client.get(reverse("participants:detail", args=[man.public_id])).content.decode()
    assert "Stalking or harassment" in page and "Charge" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "future date"),
        ({"occurred_on": (REFERRED - datetime.timedelta(days=1)).isoformat()}, "before his"),
        ({"known_via": "partner_support"}, "Select a valid choice"),
        ({"occurred_on": "31.02.2026"}, "Enter a valid date"),
    ],
)
def test_a_bad_incident_is_refused_clearly_and_nothing_is_saved(
    client_for, org_a, man, changes, message
):
    response = client_for(org_a.facilitator).post(
        reverse("evidence:add_incident", args=[man.public_id]),
        incident_body(org_a, **changes),
    )
    assert response.status_code == 200  # the form again, with what was typed and the reason
    assert message in response.content.decode()
    assert not Incident.objects.exists()


def test_another_organisations_category_is_refused(client_for, org_a, org_b, man):
    response = client_for(org_a.facilitator).post(
        reverse("evidence:add_incident", args=[man.public_id]),
        incident_body(org_a, category=category(org_b.organisation).pk),
    )
    assert "this organisation" in response.content.decode()
    assert not Incident.objects.exists()


@pytest.fixture
def partner(org_a, man):
    return partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={
            "last_name": "Wardlesworth",
            "first_name": "Imogen",
            "relationship": "ex_partner",
            "consent_to_contact": True,
        },
    )


def test_what_she_reported_reaches_his_side_only_as_a_confidential_report(
    client_for, org_a, man, partner
):
    url = reverse("partners:add_reported_incident", args=[partner.public_id])
    body = incident_body(org_a, category=category(org_a.organisation, "threats-to-kill").pk)
    body.pop("known_via")
    response = client_for(org_a.partner_support).post(url, body)
    assert response.status_code == 302
    incident = Incident.objects.get(participant=man)
    assert incident.known_via == Incident.KnownVia.PARTNER_SUPPORT
    assert "Threats to kill" in client_for(org_a.partner_support).get(url).content.decode()

    case_url = reverse("participants:detail", args=[man.public_id])
    for user in (org_a.facilitator, org_a.manager):
        page = client_for(user).get(case_url).content.decode()
        assert "A confidential report exists" in page
        assert "<td>Threats to kill" not in page
        assert incident.occurred_on.strftime("%d/%m/%Y") not in page
        assert "Wardlesworth" not in page and "Imogen" not in page
    # The facilitator cannot open her page of reported incidents, nor post to it.
    facilitator = client_for(org_a.facilitator)
    assert facilitator.get(url).status_code == 403
    assert facilitator.post(url, body).status_code == 403
    assert Incident.objects.count() == 1


def completed_body(**changes):
    body = {
        "assessed_on": TODAY.isoformat(),
        "capacity": "yes",
        "motivation": "yes",
        "used_group_work": "on",
        "used_partner_feedback": "on",
        "submission_key": str(uuid.uuid4()),
        **{f"rating_{code}": "reduced" for code, _en, _ru in CHANGE_BEHAVIOURS},
    }
    body.update(changes)
    return body


def attended_once(man):
    """A session attended, as the shapes build them: he started the programme."""
    from sessions.curriculum import programme_install_standard
    from sessions.models import Group, Session
    from tests.evidence.shapes import _started

    programme = programme_install_standard(man.organisation)
    facilitator = man.organisation.staff.filter(role="facilitator").first()
    start = TODAY - datetime.timedelta(days=60)
    group = Group.objects.create(
        organisation=man.organisation,
        programme=programme,
        name="Past",
        facilitator=facilitator,
        venue="Room",
        weekday=start.weekday(),
        start_time=datetime.time(18),
        duration_minutes=150,
        start_date=start,
    )
    session = Session.objects.create(
        group=group,
        theme=programme.themes.first(),
        date=start,
        start_time=datetime.time(18),
        duration_minutes=150,
    )
    _started(man.organisation, [man], session, group)


def test_a_change_assessment_at_exit_is_recorded_once_and_shown(client_for, org_a, man):
    attended_once(man)
    Participant.objects.filter(pk=man.pk).update(status=Status.COMPLETED)
    client = client_for(org_a.facilitator)
    url = reverse("evidence:change_assessment", args=[man.public_id])
    assert "Controlling behaviour" in client.get(url).content.decode()
    response = client.post(url, completed_body(rating_sexual_abuse="not_present"))
    assert response.status_code == 302
    assessment = ChangeAssessment.objects.get(participant=man)
    assert assessment.capacity and assessment.used_partner_feedback
    assert assessment.ratings["sexual_abuse"] == "not_present"
    assert assessment.instrument.version == 1
    again = client.post(url, completed_body(capacity="no"))
    assert again.status_code == 200  # the page now shows the recorded assessment
    assert ChangeAssessment.objects.get(participant=man).capacity is True
    assert "Not present at baseline" in again.content.decode()


@pytest.mark.parametrize(
    ("status", "changes", "message"),
    [
        (Status.IN_PROGRAMME, {}, "He has not reached exit"),
        (Status.COMPLETED, {"used_group_work": "", "used_partner_feedback": ""}, "Say which"),
        (Status.COMPLETED, {"capacity": ""}, "This field is required"),
        (Status.COMPLETED, {"rating_threats": "much_better"}, "Select a valid choice"),
        (
            Status.COMPLETED,
            {"assessed_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
            "in the future",
        ),
    ],
)
def test_a_bad_change_assessment_is_refused_and_nothing_saved(
    client_for, org_a, man, status, changes, message
):
    attended_once(man)
    Participant.objects.filter(pk=man.pk).update(status=status)
    response = client_for(org_a.facilitator).post(
        reverse("evidence:change_assessment", args=[man.public_id]), completed_body(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChangeAssessment.objects.exists()


def test_a_man_who_never_attended_has_no_change_assessment(client_for, org_a, man):
    Participant.objects.filter(pk=man.pk).update(status=Status.WITHDRAWN)
    response = client_for(org_a.facilitator).post(
        reverse("evidence:change_assessment", args=[man.public_id]), completed_body()
    )
    assert "never attended a session" in response.content.decode()
    assert not ChangeAssessment.objects.exists()


COHORT = {
    "name": "Police cohort 2025",
    "source": "Constabulary",
    "window_months": "12",
    "men": "40",
    "men_with_incident": "12",
    "incidents": "15",
    "total_harm": "900",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"men": "0"}, "at least one man"),
        ({"men_with_incident": "41"}, "More men with an incident than men"),
        ({"incidents": "3"}, "at least one incident"),
        ({"total_harm": "-5"}, "greater than or equal to 0"),
        ({"window_months": "18"}, "Select a valid choice"),
    ],
)
def test_a_comparison_group_that_cannot_be_is_refused(client_for, org_a, changes, message):
    response = client_for(org_a.manager).post(
        reverse("evidence:add_comparison"), {**COHORT, **changes}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ComparisonCohort.objects.exists()


def test_the_manager_opens_the_report_with_a_comparison_group(
    client_for, org_a, django_assert_max_num_queries
):
    client = client_for(org_a.manager)
    response = client.post(reverse("evidence:add_comparison"), COHORT)
    cohort = ComparisonCohort.objects.get()
    assert response["Location"].endswith(f"?comparison={cohort.pk}")
    with django_assert_max_num_queries(25):
        page = client.get(response["Location"]).content.decode()
    assert "Police cohort 2025" in page and "not randomised" in page
    assert client_for(org_a.facilitator).get(reverse("evidence:report")).status_code == 403
    assert client_for(org_a.partner_support).get(reverse("evidence:report")).status_code == 403


def test_the_report_page_does_not_grow_a_query_per_man(
    client_for, org_a, django_assert_max_num_queries
):
    from tests.evidence.shapes import published_shapes

    published_shapes(org_a.organisation, org_a.facilitator)
    client = client_for(org_a.manager)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("evidence:report")).content.decode()
    assert "2% to 57%" in page and "70% to 97%" in page


def test_the_pdf_downloads_in_russian_after_the_password(client_for, org_a):
    client = client_for(org_a.manager, reauthenticated=True)
    response = client.get(reverse("evidence:export", args=["pdf"]) + "?lang=ru&months=6")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="evidence.report").exists()


def test_a_report_leaves_out_another_organisations_comparison_group(client_for, org_a, org_b):
    theirs = ComparisonCohort.objects.create(
        organisation=org_b.organisation,
        name="Theirs",
        source="Police",
        men=10,
        men_with_incident=1,
        incidents=1,
        total_harm=1,
    )
    response = client_for(org_a.manager).get(
        reverse("evidence:report"), {"comparison": str(theirs.pk)}
    )
    assert "Theirs" not in response.content.decode()
    assert response.status_code == 200  # the report, without their comparison group


def test_the_import_page_imports_a_police_spreadsheet_all_or_nothing(client_for, org_a, man):
    client = client_for(org_a.manager)
    url = reverse("evidence:import_incidents")
    day = (TODAY - datetime.timedelta(days=5)).strftime("%d.%m.%Y")
    good = f"case_reference,occurred_on,known_via,category\n{man.reference},{day},police,abh\n"
    bad = good + f"99999,{day},police,abh\n"
    response = client.post(
        url, {"file": SimpleUploadedFile("in.csv", io.BytesIO(bad.encode()).read())}
    )
    page = response.content.decode()
    assert "nothing was imported" in page and "No case with this reference." in page
    assert not Incident.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("in.csv", good.encode())})
    assert Incident.objects.get(participant=man).category.code == "abh"


def test_his_subject_access_package_has_his_incidents_but_not_what_she_reported(org_a, man):
    from participants.subject_access import man_sections

    for known_via, code in (("police", "abh"), ("partner_support", "threats-to-kill")):
        Incident.objects.create(
            organisation=org_a.organisation,
            participant=man,
            occurred_on=TODAY - datetime.timedelta(days=3),
            known_via=known_via,
            category=category(org_a.organisation, code),
        )
    sections = {section.key: section for section in man_sections(man)}
    rows = sections["incidents"].rows
    assert [row["category"] for row in rows] == ["Assault occasioning actual bodily harm"]
    assert "Threats to kill" not in str([s.rows for s in sections.values()])


def test_each_woman_sees_only_what_she_reported_and_gets_it_in_her_package(
    client_for, org_a, man, partner
):
    from partners.subject_access import partner_sections

    other = partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={
            "last_name": "Quennell",
            "first_name": "Maud",
            "relationship": "partner",
            "consent_to_contact": True,
        },
    )
    body = incident_body(org_a, category=category(org_a.organisation, "threats-to-kill").pk)
    body.pop("known_via")
    client = client_for(org_a.partner_support)
    client.post(reverse("partners:add_reported_incident", args=[partner.public_id]), body)
    mine = client.get(reverse("partners:add_reported_incident", args=[partner.public_id]))
    hers = client.get(reverse("partners:add_reported_incident", args=[other.public_id]))
    assert "<td>Threats to kill" in mine.content.decode()
    assert "<td>Threats to kill" not in hers.content.decode()
    sections = {s.key: s for s in partner_sections(partner)}
    assert [r["category"] for r in sections["reported_incidents"].rows] == ["Threats to kill"]
    assert not {s.key: s for s in partner_sections(other)}["reported_incidents"].rows


def test_his_package_does_not_say_whether_partner_feedback_was_used(org_a, man):
    from evidence.services import change_assessment_record
    from participants.subject_access import man_sections

    attended_once(man)
    Participant.objects.filter(pk=man.pk).update(status=Status.COMPLETED)
    man.refresh_from_db()

    change_assessment_record(
        participant=man,
        by=org_a.facilitator,
        assessed_on=TODAY,
        capacity=True,
        motivation=True,
        ratings={code: "reduced" for code, _en, _ru in CHANGE_BEHAVIOURS},
        used_group_work=True,
        used_partner_feedback=True,
    )
    section = {s.key: s for s in man_sections(man)}["change_assessment"]
    assert "used_partner_feedback" not in dict(section.columns)
    assert all("used_partner_feedback" not in row for row in section.rows)


def test_a_bad_incident_she_reported_is_refused_on_her_page_and_nothing_is_saved(
    client_for, org_a, man, partner
):
    url = reverse("partners:add_reported_incident", args=[partner.public_id])
    body = incident_body(org_a, occurred_on=(TODAY + datetime.timedelta(days=3)).isoformat())
    body.pop("known_via")
    response = client_for(org_a.partner_support).post(url, body)
    assert response.status_code == 200
    assert "future date" in response.content.decode()
    assert not Incident.objects.exists()
    # Sent twice (a double tap): one incident.
    body["occurred_on"] = (TODAY - datetime.timedelta(days=3)).isoformat()
    client_for(org_a.partner_support).post(url, body)
    client_for(org_a.partner_support).post(url, body)
    assert Incident.objects.filter(reported_by=partner).count() == 1
