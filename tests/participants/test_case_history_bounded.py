"""A man's case notes grow for as long as the service knows him; his page shows the latest 20 and
all of them only when asked (issue 14: no page grows without bound)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import services
from participants.selectors import NOTES_SHOWN
from tests.factories import category_of


def _notes(org, man, count: int) -> None:
    for number in range(count):
        services.case_note_add(
            participant=man,
            by=org.facilitator,
            category=category_of(org.organisation),
            text=f"Session note number {number:02d}.",
        )


def _shown(response) -> list[str]:
    return re.findall(r"Session note number (\d\d)\.", response.content.decode())


def test_the_case_page_shows_his_latest_notes_and_all_of_them_when_asked(client_for, org_a, case_a):
    _notes(org_a, case_a, NOTES_SHOWN + 5)
    client = client_for(org_a.facilitator)
    page = client.get(reverse("participants:detail", args=[case_a.public_id]))
    # Newest first: the 20 latest, then a way to the older five.
    assert _shown(page) == [f"{n:02d}" for n in range(24, 4, -1)]
    assert 'data-testid="all-notes"' in page.content.decode()
    assert "The latest 20 notes are shown." in page.content.decode()
    everything = client.get(
        reverse("participants:detail", args=[case_a.public_id]), {"notes": "all"}
    )
    assert _shown(everything) == [f"{n:02d}" for n in range(24, -1, -1)]
    assert 'data-testid="all-notes"' not in everything.content.decode()


def test_no_link_when_every_note_is_shown(client_for, org_a, case_a):
    _notes(org_a, case_a, NOTES_SHOWN)
    page = client_for(org_a.facilitator).get(
        reverse("participants:detail", args=[case_a.public_id])
    )
    assert len(_shown(page)) == NOTES_SHOWN
    assert 'data-testid="all-notes"' not in page.content.decode()


def test_the_case_page_costs_the_same_queries_with_older_notes(
    client_for, org_a, case_a, django_assert_max_num_queries
):
    client = client_for(org_a.facilitator)
    address = reverse("participants:detail", args=[case_a.public_id])
    _notes(org_a, case_a, 1)
    client.get(address)
    with CaptureQueriesContext(connection) as one:
        client.get(address)
    _notes(org_a, case_a, 60)
    with django_assert_max_num_queries(len(one)):
        client.get(address)


def test_in_russian(client_for, org_a, case_a):
    _notes(org_a, case_a, NOTES_SHOWN + 1)
    client = client_for(org_a.facilitator)
    page = client.get(
        reverse("participants:detail", args=[case_a.public_id]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert "Показаны последние 20 записей." in page.content.decode()
