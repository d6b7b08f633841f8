"""A coalition analyst reaches no case, partner, note, survey answer or export of any member,
by any URL of the project: only the coalition's own figures."""

from django.urls import reverse

from tests.access_matrix import PAGE_ACCESS, SECOND_FACTOR_STEPS, C
from tests.answers import assert_answer
from tests.security.test_other_organisation import HTMX, _all_urls, _send
from tests.security.urls import case_data

# Their own account (password, second factor) and the coalition's figures.
OWN_PAGES = {name for name, roles in PAGE_ACCESS.items() if C in roles}
OWN_PAGES |= SECOND_FACTOR_STEPS | {"coalition:export"}
# What the analyst's own pages answer, GET or an empty POST: the page (a form sent empty comes
# back with its errors), except the second-factor steps. Asking for new recovery codes (the POST
# of two_factor_manage) leads to them; they are shown once (the next GET), then lead home. The
# sign-in steps of a user who has passed them lead on.
OWN_ANSWERS = {
    ("two_factor_manage", "post"): "two_factor_recovery_codes",
    ("two_factor_recovery_codes", "post"): "home",
    ("two_factor_setup", "get"): "two_factor_verify",
    ("two_factor_setup", "post"): "two_factor_verify",
    ("two_factor_verify", "get"): "home",
    ("two_factor_verify", "post"): "home",
}
# The URLs for a POST that answer a GET too (a page of their own): refused with 403 like the
# rest; any other answers a GET with 405 before anything else is decided.
ALSO_GET = {"lookup_delete", "partners:add_checkin"}


def _own_answer(name: str, sent: str, codes_shown: bool) -> int | str:
    if name == "two_factor_recovery_codes" and sent == "get":
        return "home" if codes_shown else 200
    return OWN_ANSWERS.get((name, sent), 200)


def test_the_analyst_of_a_members_coalition_reaches_nothing_of_it(client_for, world_a):
    analyst = world_a.personas.coalition_analyst
    assert analyst.coalition.memberships.filter(organisation=world_a.personas.organisation).exists()
    client = client_for(analyst, reauthenticated=True)
    secrets = [world_a.case.last_name, world_a.partner.last_name, world_a.partner.first_name]
    before = case_data()
    checked = 0
    codes_shown = False
    for name, url, method, body in _all_urls(world_a):
        for sent in ("get", "post"):
            for headers in ({}, HTMX):
                response = _send(client, sent, url, body, **headers)
                checked += 1
                if name in OWN_PAGES:
                    expected = _own_answer(name, sent, codes_shown)
                    codes_shown |= name == "two_factor_recovery_codes" and expected == 200
                elif sent == "get" and method == "post" and name not in ALSO_GET:
                    expected = 405
                else:
                    expected = 403
                try:
                    assert_answer(response, expected)
                except AssertionError as refused:
                    raise AssertionError((name, sent, headers, expected)) from refused
                content = response.content.decode(errors="replace")
                for secret in secrets:
                    assert secret not in content, (name, sent)
    assert checked == 4 * len(_all_urls(world_a)) >= 4 * 70
    assert case_data() == before


def test_an_analyst_has_no_organisation_so_every_scoped_query_is_empty(org_a, world_a):
    from participants.models import Participant
    from partners.models import Partner

    analyst = org_a.coalition_analyst
    assert analyst.organisation_id is None
    assert not Participant.objects.for_user(analyst).exists()
    assert not Partner.objects.for_user(analyst).exists()


def test_the_admin_site_is_closed_to_an_analyst(client_for, org_a):
    response = client_for(org_a.coalition_analyst).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
