"""Every case URL, for every role, and across organisations."""

import pytest
from django.urls import reverse

from dvpp.models import Role
from tests.access_matrix import CASE_ACCESS
from tests.answers import assert_answer
from tests.factories import ParticipantFactory


def _open(client, url_name, participant):
    method, _ = CASE_ACCESS[url_name]
    url = reverse(url_name, args=[participant.public_id])
    return getattr(client, method)(url)


# Pages that ask for the password again first (subject access, erasure): a redirect to that page.
REAUTHENTICATE = {"participants:log_request", "participants:subject_access", "participants:erase"}
# What each case URL answers a user let in: its page (GET), or for a form sent empty, the case
# page that says what was missing.
EMPTY_FORM_ANSWERS = {
    name: "reauthenticate"
    if name in REAUTHENTICATE
    else 200
    if method == "get"
    else "participants:detail"
    for name, (method, _roles) in CASE_ACCESS.items()
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(CASE_ACCESS))
def test_each_role_reaches_only_its_case_pages(client_for, org_a, case_a, role, url_name):
    response = _open(client_for(org_a.for_role(role)), url_name, case_a)
    assert_answer(
        response, EMPTY_FORM_ANSWERS[url_name] if role in CASE_ACCESS[url_name][1] else 403
    )


@pytest.mark.parametrize("url_name", sorted(CASE_ACCESS))
def test_another_organisations_case_is_not_found_even_by_its_exact_address(
    client_for, org_a, org_b, case_b, url_name
):
    response = _open(client_for(org_a.manager), url_name, case_b)
    assert response.status_code == 404


def test_facilitator_of_another_organisation_gets_404_for_a_case(client_for, org_b, case_a):
    response = client_for(org_b.facilitator).get(
        reverse("participants:detail", args=[case_a.public_id])
    )
    assert response.status_code == 404


def test_case_list_shows_only_own_organisation(client_for, org_a, case_a, case_b):
    content = client_for(org_a.facilitator).get(reverse("participants:index")).content.decode()
    assert case_a.last_name in content
    assert case_b.last_name not in content


def test_case_addresses_do_not_count_records(case_a):
    url = reverse("participants:detail", args=[case_a.public_id])
    assert str(case_a.pk) not in url.replace(str(case_a.public_id), "")
    assert len(str(case_a.public_id)) == 36


def test_anonymous_visitor_is_sent_to_sign_in_from_a_case(client, case_a):
    response = client.get(reverse("participants:detail", args=[case_a.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_partner_support_worker_sees_a_case_without_the_actions(client_for, org_a, case_a):
    content = (
        client_for(org_a.partner_support)
        .get(reverse("participants:detail", args=[case_a.public_id]))
        .content.decode()
    )
    assert case_a.last_name in content
    assert 'data-testid="status-form"' not in content
    assert 'data-testid="note-form"' not in content


def test_case_list_query_count_does_not_grow_with_cases(
    client_for, org_a, django_assert_max_num_queries
):
    from tests.factories import ReferralFactory

    for _ in range(30):
        ReferralFactory(participant=ParticipantFactory(organisation=org_a.organisation))
    client = client_for(org_a.manager)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("participants:index"))
    assert response.content.decode().count("/cases/") >= 25


def test_case_page_query_count_does_not_grow_with_history(
    client_for, org_a, case_a, django_assert_max_num_queries
):
    from participants import services
    from tests.factories import ReferralFactory, category_of

    for index in range(10):
        services.case_note_add(
            participant=case_a,
            by=org_a.facilitator,
            category=category_of(org_a.organisation),
            text=f"note {index}",
        )
        ReferralFactory(participant=case_a)
    services.assessment_add_appointment(
        participant=case_a,
        by=org_a.facilitator,
        date=case_a.created_at.date(),
        attended=None,
        assessor=org_a.facilitator,
    )
    from consent.models import ConsentTemplate
    from consent.services import man_consent_give

    for template in ConsentTemplate.objects.filter(organisation=org_a.organisation, subject="man"):
        man_consent_give(
            participant=case_a,
            template=template,
            given_on=case_a.created_at.date(),
            how="signed",
            by=org_a.facilitator,
        )
    from evidence.models import Incident, IncidentCategory

    other = IncidentCategory.objects.get(organisation=org_a.organisation, code="other")
    for index in range(10):
        Incident.objects.create(
            organisation=org_a.organisation,
            participant=case_a,
            occurred_on=case_a.created_at.date(),
            known_via="police" if index % 2 else "partner_support",
            category=other,
        )
    client = client_for(org_a.manager)
    # Incidents, his change assessment and the incident form's categories: four more, fixed.
    with django_assert_max_num_queries(27):
        response = client.get(reverse("participants:detail", args=[case_a.public_id]))
    assert response.content.decode().count("note ") >= 10
