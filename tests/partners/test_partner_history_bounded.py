"""A woman's check-ins and contact attempts grow for as long as she is supported; her page shows
the latest ten of each, and all of them only when asked (issue 14)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.views import HISTORY_SHOWN
from tests.factories import ParticipantFactory


def _history(org, partner, count: int) -> None:
    start = timezone.now() - datetime.timedelta(days=count + 30)
    services.contact_attempt_record(
        partner=partner, by=org.partner_support, at=start, method="call", outcome="reached"
    )
    today = timezone.localdate()
    for number in range(count):
        services.contact_attempt_record(
            partner=partner,
            by=org.partner_support,
            at=start + datetime.timedelta(days=number + 1),
            method="call",
            outcome="no_answer",
        )
        services.checkin_record(
            partner=partner,
            by=org.partner_support,
            data={
                "on": today - datetime.timedelta(days=count - number),
                "method": "call",
                "feels_safe": "fairly",
                "incidents": [],
                "injuries": False,
                "police_called": False,
                "actions": f"Check-in number {number:02d}.",
                "risk_level_after": "medium",
                "next_due": today + datetime.timedelta(days=7),
            },
        )


def _checkins(response) -> list[str]:
    return re.findall(r"Check-in number (\d\d)\.", response.content.decode())


def _attempts(response) -> int:
    section = response.content.decode().split('id="attempts"')[1].split("</ul>")[0]
    return section.count("<li>")


def test_her_page_shows_the_latest_ten_and_all_when_asked(client_for, org_a, partner):
    _history(org_a, partner, HISTORY_SHOWN + 4)
    client = client_for(org_a.partner_support)
    address = reverse("partners:detail", args=[partner.public_id])
    page = client.get(address)
    assert _checkins(page) == [f"{n:02d}" for n in range(13, 3, -1)]
    assert _attempts(page) == HISTORY_SHOWN
    html = page.content.decode()
    assert 'data-testid="all-checkins"' in html
    assert 'data-testid="all-attempts"' in html
    assert len(_checkins(client.get(address, {"checkins": "all"}))) == HISTORY_SHOWN + 4
    # Fourteen unanswered calls and the first one that reached her.
    assert _attempts(client.get(address, {"attempts": "all"})) == HISTORY_SHOWN + 5


def test_no_links_while_everything_fits(client_for, org_a, partner):
    _history(org_a, partner, 3)
    page = client_for(org_a.partner_support).get(
        reverse("partners:detail", args=[partner.public_id])
    )
    assert len(_checkins(page)) == 3
    assert 'data-testid="all-checkins"' not in page.content.decode()
    assert 'data-testid="all-attempts"' not in page.content.decode()


def test_a_facilitator_is_still_refused_her_page_with_all_of_it(client_for, org_a, partner):
    _history(org_a, partner, 2)
    response = client_for(org_a.facilitator).get(
        reverse("partners:detail", args=[partner.public_id]),
        {"checkins": "all", "attempts": "all"},
    )
    assert response.status_code == 403
    assert b"Check-in number" not in response.content


def test_editing_her_details_offers_only_her_man(client_for, org_a, partner, man):
    ParticipantFactory.create_batch(5, organisation=org_a.organisation, last_name="Zubarev")
    html = (
        client_for(org_a.partner_support)
        .get(reverse("partners:edit", args=[partner.public_id]))
        .content.decode()
    )
    select = html.split('name="participant"')[1].split("</select>")[0]
    assert select.count("<option") - select.count('<option value=""') == 1
    assert man.last_name in select
    assert "Zubarev" not in select
