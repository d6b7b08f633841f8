"""Pages that a higher app adds under a man's case or her record (through dvpp.hooks.urls, or
routed from the data-protection pages in consent) keep their addresses, their names and the
wall: a facilitator is refused every one of them, on a real case and a real partner."""

import pytest
from django.urls import resolve, reverse

from partners import services as partner_services
from tests.factories import ParticipantFactory

# name -> (the path under /cases/<id>/ or /partners/<id>/, how it is used)
UNDER_HIS_CASE = {
    "participants:subject_access": ("subject-access/", "get"),
    "participants:log_request": ("subject-access/requests/", "post"),
    "participants:erase": ("erase/", "get"),
    "participants:progress": ("progress/", "get"),
}
UNDER_HER_RECORD = {
    "partners:subject_access": ("subject-access/", "get"),
    "partners:log_request": ("subject-access/requests/", "post"),
    "partners:erase": ("erase/", "get"),
    "partners:add_reported_incident": ("incidents/", "get"),
}


@pytest.fixture
def people(org_a):
    man = ParticipantFactory(organisation=org_a.organisation)
    partner = partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={"last_name": "Larkwood", "first_name": "Her", "relationship": "ex_partner"},
    )
    return man, partner


@pytest.mark.parametrize("name", sorted(UNDER_HIS_CASE))
def test_pages_under_his_case_keep_their_address(people, name):
    man, _partner = people
    tail, _method = UNDER_HIS_CASE[name]
    url = reverse(name, args=[man.public_id])
    assert url == f"/cases/{man.public_id}/{tail}"
    assert resolve(url).view_name == name


@pytest.mark.parametrize("name", sorted(UNDER_HER_RECORD))
def test_pages_under_her_record_keep_their_address_behind_the_wall(people, name):
    _man, partner = people
    tail, _method = UNDER_HER_RECORD[name]
    url = reverse(name, args=[partner.public_id])
    # /partners/: pages the browser is told never to keep.
    assert url == f"/partners/{partner.public_id}/{tail}"
    assert resolve(url).view_name == name


DATA_PROTECTION = sorted(set(UNDER_HIS_CASE) - {"participants:progress"}) + sorted(UNDER_HER_RECORD)


@pytest.mark.parametrize("name", DATA_PROTECTION)
def test_facilitator_is_refused_every_page_added_from_above(client_for, org_a, people, name):
    man, partner = people
    person = man if name.startswith("participants:") else partner
    method = {**UNDER_HIS_CASE, **UNDER_HER_RECORD}[name][1]
    client = client_for(org_a.facilitator, reauthenticated=True)
    response = getattr(client, method)(reverse(name, args=[person.public_id]))
    assert response.status_code == 403
    assert "Larkwood" not in response.content.decode()


def test_facilitator_reads_his_progress_report_and_nothing_of_her(client_for, org_a, people):
    man, _partner = people
    response = client_for(org_a.facilitator).get(
        reverse("participants:progress", args=[man.public_id])
    )
    assert response.status_code == 200
    assert "Larkwood" not in response.content.decode()
