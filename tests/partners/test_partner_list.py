"""The partner list a page at a time, and the worker's day above it: the most urgent few of each
list, with a link to all of them (issue 14: no page grows with the organisation's partners)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import CheckIn, Partner
from tests.factories import ParticipantFactory

from .conftest import SECRETS


def _partners(org, man, count: int, last_name: str, **extra) -> list[Partner]:
    # Passed to partner support with his latest referral (today if he has none).
    referral = man.referrals.order_by("-received_on").first()
    referred_on = referral.received_on if referral else timezone.localdate()
    return [
        services.partner_create(
            organisation=org.organisation,
            by=org.partner_support,
            participant=man,
            data={
                **SECRETS,
                "last_name": last_name,
                "first_name": f"Anna{index:02d}",
                "relationship": "partner",
                "referred_on": referred_on,
                **extra,
            },
        )
        for index in range(count)
    ]


def _names(response) -> list[str]:
    table = response.content.decode().split('data-testid="partner-table"')[1].split("</table>")[0]
    return re.findall(r"(Anna\d\d) \w+</a>", table)


def _section(response, testid: str) -> str:
    return response.content.decode().split(f'data-testid="{testid}"')[1].split("</section>")[0]


def test_the_partner_list_shows_25_and_the_rest_on_page_two(client_for, org_a, man):
    _partners(org_a, man, 30, "Ashworth")
    client = client_for(org_a.partner_support)
    first = client.get(reverse("partners:index"))
    assert _names(first) == [f"Anna{i:02d}" for i in range(25)]
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("partners:index") + "?page=2")
    assert _names(second) == [f"Anna{i:02d}" for i in range(25, 30)]


def test_search_keeps_working_across_pages(client_for, org_a, man):
    _partners(org_a, man, 27, "Ashworth")
    _partners(org_a, man, 5, "Brightwell")
    client = client_for(org_a.partner_support)
    first = client.get(reverse("partners:index"), {"q": "ashw"})
    assert len(_names(first)) == 25
    assert "q=ashw&amp;page=2" in first.content.decode()
    second = client.get(reverse("partners:index"), {"q": "ashw", "page": "2"})
    assert _names(second) == ["Anna25", "Anna26"]
    assert "Brightwell" not in second.content.decode().split('data-testid="partner-table"')[1]


def test_search_finds_her_in_either_script_on_the_list(client_for, org_a, man):
    _partners(org_a, man, 1, "Ёлкина")
    client = client_for(org_a.partner_support)
    for query in ("елкина", "ЁЛК", "elkina"):
        assert _names(client.get(reverse("partners:index"), {"q": query})) == ["Anna00"], query


def test_mine_is_kept_in_the_page_links(client_for, org_a, man):
    _partners(org_a, man, 26, "Ashworth")
    others = _partners(org_a, man, 3, "Brightwell")
    Partner.objects.filter(pk__in=[p.pk for p in others]).update(worker=None)
    client = client_for(org_a.partner_support)
    first = client.get(reverse("partners:index"), {"mine": "1"})
    assert "mine=1&amp;page=2" in first.content.decode()
    second = client.get(reverse("partners:index"), {"mine": "1", "page": "2"})
    assert _names(second) == ["Anna25"]


def test_a_facilitator_is_still_refused_the_partner_list_and_its_pages(client_for, org_a, man):
    _partners(org_a, man, 26, "Ashworth")
    client = client_for(org_a.facilitator)
    for query in ("", "?page=2", "?show=overdue", "?show=awaiting&q=ash"):
        response = client.get(reverse("partners:index") + query)
        assert response.status_code == 403
        assert "Ashworth" not in response.content.decode()


def test_the_overdue_panel_shows_ten_and_links_to_all_of_them(client_for, org_a, man):
    engaged = _partners(org_a, man, 12, "Ashworth")
    Partner.objects.filter(pk__in=[p.pk for p in engaged]).update(state=Partner.State.ENGAGED)
    # One is not overdue: her next check-in is next week.
    CheckIn.objects.create(
        partner=engaged[0],
        on=timezone.localdate(),
        method="call",
        feels_safe="fairly",
        risk_level_after="medium",
        next_due=timezone.localdate() + datetime.timedelta(days=7),
    )
    client = client_for(org_a.partner_support)
    panel = _section(client.get(reverse("partners:index")), "overdue")
    assert panel.count("Anna") == 10
    assert "Anna00" not in panel
    assert 'href="?show=overdue"' in panel
    everyone = client.get(reverse("partners:index"), {"show": "overdue"})
    assert sorted(_names(everyone)) == [f"Anna{i:02d}" for i in range(1, 12)]


def test_the_awaiting_panel_shows_the_longest_waiting_and_links_to_all(client_for, org_a, man):
    # 40 days since his referral (the fixture): every one of them waits past the limit.
    _partners(org_a, man, 11, "Ashworth")
    newer = ParticipantFactory(organisation=org_a.organisation)  # passed to us today: not late
    _partners(org_a, newer, 2, "Brightwell")
    client = client_for(org_a.partner_support)
    panel = _section(client.get(reverse("partners:index")), "awaiting")
    assert panel.count("Anna") == 10 and "Brightwell" not in panel
    assert 'href="?show=awaiting"' in panel
    everyone = client.get(reverse("partners:index"), {"show": "awaiting"})
    assert sorted(_names(everyone)) == [f"Anna{i:02d}" for i in range(11)]


def test_the_partner_list_decrypts_nothing(client_for, org_a, man, monkeypatch):
    from dvpp import crypto

    _partners(org_a, man, 30, "Ashworth")
    Partner.objects.update(state=Partner.State.ENGAGED)
    client = client_for(org_a.partner_support)
    decrypted = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: decrypted.append(1) or real(token))
    for query in ("", "?q=ashw", "?page=2", "?show=overdue", "?show=awaiting"):
        assert client.get(reverse("partners:index") + query).status_code == 200
    assert decrypted == []


def test_the_check_in_form_opens_on_a_page_of_its_own(client_for, org_a, reached):
    from dvpp.models import AuditEvent

    url = reverse("partners:add_checkin", args=[reached.public_id])
    response = client_for(org_a.partner_support).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="checkin-form"' in content and f'action="{url}"' in content
    assert AuditEvent.objects.filter(
        object_id=str(reached.public_id), what="check-in form"
    ).exists()


@pytest.mark.parametrize("role", ["facilitator", "manager"])
def test_only_partner_support_opens_the_check_in_form(client_for, org_a, partner, role):
    response = client_for(getattr(org_a, role)).get(
        reverse("partners:add_checkin", args=[partner.public_id])
    )
    assert response.status_code == 403
    assert SECRETS["last_name"] not in response.content.decode()


def test_another_organisations_partner_has_no_check_in_form(client_for, org_b, partner):
    response = client_for(org_b.partner_support).get(
        reverse("partners:add_checkin", args=[partner.public_id])
    )
    assert response.status_code == 404


def test_a_check_in_that_cannot_be_saved_comes_back_with_what_was_typed(client_for, org_a, reached):
    """A mistyped date: the reason is given beside it, her words are still in the form, and
    nothing is saved."""
    url = reverse("partners:add_checkin", args=[reached.public_id])
    words = "She said he waited outside the school gate on Tuesday."
    response = client_for(org_a.partner_support).post(
        url,
        {
            "on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "method": "call",
            "feels_safe": "not_very",
            "actions": words,
            "risk_level_after": "high",
            "next_due": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This date is in the future." in content
    assert words in content
    assert not CheckIn.objects.filter(partner=reached).exists()


def test_a_facilitator_posting_a_check_in_is_refused_and_nothing_is_saved(
    client_for, org_a, reached
):
    response = client_for(org_a.facilitator).post(
        reverse("partners:add_checkin", args=[reached.public_id]),
        {"on": timezone.localdate().isoformat(), "actions": "anything"},
    )
    assert response.status_code == 403
    assert not CheckIn.objects.filter(partner=reached).exists()
