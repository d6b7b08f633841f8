"""The wall: nobody but a partner support worker of her organisation reaches a partner's record,
and nothing that identifies or locates her appears anywhere the men's side can look."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dvpp.models import Role
from participants.models import Status
from partners import services
from partners.models import MaracReferral, PartnerTask, RiskChecklist
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from tests.access_matrix import (
    CASE_ACCESS,
    GROUP_ACCESS,
    PAGE_ACCESS,
    PARTNER_ACCESS,
    PARTNER_ITEM_ACCESS,
    SESSION_ACCESS,
)
from tests.answers import assert_answer
from tests.partners.conftest import SECRETS


def _items(org_a, partner):
    task, _ = PartnerTask.objects.get_or_create(
        partner=partner,
        kind="contact_today",
        key="t",
        defaults={"reason": "absence", "due_on": "2026-01-01"},
    )
    referral = MaracReferral.objects.create(partner=partner)
    from consent.models import ConsentTemplate
    from partners.services import partner_consent_give

    template = ConsentTemplate.objects.get(
        organisation=partner.organisation, subject="partner", purpose="support"
    )
    consent = partner_consent_give(
        partner=partner,
        template=template,
        given_on=datetime.date(2026, 1, 1),
        how="in_person",
        by=org_a.partner_support,
    )
    return {
        "partners:update_marac": referral.pk,
        "partners:task_done": task.pk,
        "partners:withdraw_consent": consent.pk,
        "partners:print_consent": template.pk,
    }


# What each URL of her record answers a partner support worker: its page (GET); for a form sent
# empty, her page saying what was missing, or the check-in page with the reasons beside each
# field; first the password again for subject access and erasure.
REAUTHENTICATE = {"partners:log_request", "partners:subject_access", "partners:erase"}
FORM_PAGES = {"partners:add_checkin"}
EMPTY_FORM_ANSWERS = {
    name: "reauthenticate"
    if name in REAUTHENTICATE
    else 200
    if method == "get" or name in FORM_PAGES
    else "partners:detail"
    for name, (method, _roles) in {**PARTNER_ACCESS, **PARTNER_ITEM_ACCESS}.items()
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(PARTNER_ACCESS))
def test_only_partner_support_workers_reach_a_partner(client_for, org_a, partner, role, url_name):
    method, roles = PARTNER_ACCESS[url_name]
    client = client_for(org_a.for_role(role))
    response = getattr(client, method)(reverse(url_name, args=[partner.public_id]))
    assert_answer(response, EMPTY_FORM_ANSWERS[url_name] if role in roles else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(PARTNER_ITEM_ACCESS))
def test_only_partner_support_workers_reach_her_tasks_and_referrals(
    client_for, org_a, partner, role, url_name
):
    item = _items(org_a, partner)[url_name]
    response = client_for(org_a.for_role(role)).post(
        reverse(url_name, args=[partner.public_id, item])
    )
    allowed = role in PARTNER_ITEM_ACCESS[url_name][1]
    assert_answer(response, EMPTY_FORM_ANSWERS[url_name] if allowed else 403)


@pytest.mark.parametrize("url_name", sorted(PARTNER_ACCESS))
def test_a_partner_support_worker_of_another_organisation_gets_404(
    client_for, org_b, partner, url_name
):
    method, _roles = PARTNER_ACCESS[url_name]
    response = getattr(client_for(org_b.partner_support), method)(
        reverse(url_name, args=[partner.public_id])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", sorted(PARTNER_ITEM_ACCESS))
def test_her_items_are_not_found_from_another_organisation(
    client_for, org_a, org_b, partner, url_name
):
    item = _items(org_a, partner)[url_name]
    response = client_for(org_b.partner_support).post(
        reverse(url_name, args=[partner.public_id, item])
    )
    assert response.status_code == 404


def test_partner_queryset_is_empty_for_everyone_but_partner_support(org_a, partner):
    from partners.models import Partner

    for role in Role:
        visible = Partner.objects.for_user(org_a.for_role(role)).exists()
        assert visible == (role == Role.PARTNER_SUPPORT)


def test_partners_are_not_in_the_admin_site(client_for, org_a, partner, db):
    from dvpp.models import User

    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-password-1")
    content = client_for(root).get(reverse("admin:index")).content.decode()
    assert "partners" not in content.lower().replace("partner support", "")
    assert client_for(root).get("/admin/partners/partner/").status_code == 404


@pytest.fixture
def facilitator_world(org_a, man, partner, reached):
    """The man is in a group, and she has check-ins, a high risk and a flag on his case."""
    man.status = Status.WAITING_LIST
    man.save()
    group = session_services.group_create(
        organisation=org_a.organisation,
        by=org_a.manager,
        data={
            "programme": programme_install_standard(org_a.organisation),
            "name": "Group W",
            "facilitator": org_a.facilitator,
            "co_facilitator": None,
            "venue": "Room",
            "weekday": timezone.localdate().weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": timezone.localdate() - datetime.timedelta(weeks=2),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    session_services.enrolment_allocate(
        participant=man,
        group=group,
        by=org_a.manager,
        first_session=group.sessions.order_by("date")[0],
    )
    checklist = RiskChecklist.objects.get(organisation=org_a.organisation)
    services.risk_assess(
        partner=partner,
        by=org_a.partner_support,
        checklist=checklist,
        yes_items=list(range(1, 16)),
        assessed_on=timezone.localdate(),
    )
    services.checkin_record(
        partner=partner,
        by=org_a.partner_support,
        data={
            "on": timezone.localdate(),
            "method": "call",
            "feels_safe": "not_very",
            "incidents": ["threats"],
            "injuries": False,
            "police_called": True,
            "actions": "She said he waited outside Larkspur Close",
            "risk_level_after": "high",
            "next_due": timezone.localdate() + datetime.timedelta(days=7),
        },
    )
    return group


def _facilitator_pages(man, group):
    pages = [reverse(name) for name, roles in PAGE_ACCESS.items() if Role.FACILITATOR in roles]
    pages += [
        reverse(name, args=[man.public_id])
        for name, (method, roles) in CASE_ACCESS.items()
        if method == "get" and Role.FACILITATOR in roles
    ]
    pages += [
        reverse(name, args=[group.public_id])
        for name, (method, roles) in GROUP_ACCESS.items()
        if method == "get"
    ]
    pages += [
        reverse(name, args=[session.public_id])
        for session in group.sessions.all()[:3]
        for name, (method, roles) in SESSION_ACCESS.items()
        if method == "get"
    ]
    pages += [
        reverse(name, args=[man.public_id]) + "?format=pdf" for name in ("participants:progress",)
    ]
    return pages


def test_searching_the_cases_for_her_finds_nothing(client_for, org_a, man, facilitator_world):
    client = client_for(org_a.facilitator)
    for value in SECRETS.values():
        for query in (value, value.split()[0]):
            if query.isdigit():
                continue  # digits alone search case references ("14" finds case 60014)
            content = client.get(reverse("participants:index"), {"q": query}).content.decode()
            assert "No cases match." in content, query
            # Her other details are not on the page either (the query itself is echoed back).
            for other in SECRETS.values():
                if other != value:
                    assert other not in content


def test_no_facilitator_page_shows_anything_that_identifies_or_locates_her(
    client_for, org_a, man, facilitator_world
):
    client = client_for(org_a.facilitator)
    pages = _facilitator_pages(man, facilitator_world)
    assert len(pages) >= 12  # the scan must really have looked
    secrets = [*SECRETS.values(), "Larkspur", "Heronsgate", "Araminta"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8", errors="replace")
        headers = " ".join(f"{k}: {v}" for k, v in response.items())
        for secret in secrets:
            assert secret not in body, (url, secret)
            assert secret not in headers, (url, secret)


def test_the_mans_case_shows_the_flag_and_nothing_else(client_for, org_a, man, facilitator_world):
    content = (
        client_for(org_a.facilitator)
        .get(reverse("participants:detail", args=[man.public_id]))
        .content.decode()
    )
    flag = content.split('data-testid="risk-flag"')[1].split("</div>")[0]
    assert "Heightened risk: speak to the partner support team." in flag
    for word in ("threat", "police", "check-in", "MARAC", "ex-partner", "Weatherbury"):
        assert word.lower() not in flag.lower()
    assert "partners/" not in content  # not even a link towards her record


def test_no_log_line_carries_her_details(client_for, org_a, man, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client = client_for(org_a.partner_support)
    client.post(
        reverse("partners:create"),
        {
            **SECRETS,
            "participant": man.pk,
            "relationship": "partner",
            "language": "en",
            "safe_contact_method": "call",
            "state": "not_contacted",
        },
    )
    from partners.models import Partner

    partner = Partner.objects.get()
    client.get(reverse("partners:detail", args=[partner.public_id]))
    client.post(reverse("partners:add_checkin", args=[partner.public_id]), {"on": "bad"})
    client_for(org_a.facilitator).get(reverse("partners:detail", args=[partner.public_id]))
    assert caplog.records  # the 403 was logged: logging was on
    for secret in SECRETS.values():
        assert secret not in caplog.text


def test_managers_see_nothing_of_what_was_done_on_her_record(client_for, org_a, reached):
    from dvpp.models import AuditEvent

    client_for(org_a.partner_support).post(
        reverse("partners:add_attempt", args=[reached.public_id]),
        {"at": "2026-01-05T10:00", "method": "call", "outcome": "no_answer"},
    )
    assert AuditEvent.objects.filter(object_id=str(reached.public_id)).exists()
    content = client_for(org_a.manager).get(reverse("audit_log")).content.decode()
    assert str(reached.public_id) not in content
    assert "contact attempt" not in content


def test_the_risk_flag_carries_the_day_it_was_raised_not_the_day_she_spoke(org_a, reached):
    from participants.models import RiskFlag

    services.checkin_record(
        partner=reached,
        by=org_a.partner_support,
        data={
            "on": timezone.localdate() - datetime.timedelta(days=3),
            "method": "call",
            "feels_safe": "not_very",
            "incidents": ["threats"],
            "injuries": False,
            "police_called": False,
            "actions": "",
            "risk_level_after": "high",
            "next_due": timezone.localdate() + datetime.timedelta(days=7),
        },
    )
    assert RiskFlag.objects.get().raised_on == timezone.localdate()


def test_a_malformed_id_is_a_404_not_an_error(client_for, org_a):
    client = client_for(org_a.partner_support)
    assert client.get(reverse("partners:create"), {"man": "not-a-uuid"}).status_code == 404
