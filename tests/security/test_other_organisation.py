"""The generic net: every object URL of the access matrix, asked for from another organisation,
anonymously, and half signed in (the password, not yet the second factor).

The per-app tests (tests/participants/test_case_access.py, tests/sessions/test_group_access.py,
tests/partners/test_wall.py) check their own URLs; these iterate over every dict of
tests/access_matrix.py, so a URL added there is covered here at once, and a kind of URL the net
cannot build fails, saying where to add it (tests/security/urls.py).
"""

import pytest
from django.urls import resolve, reverse

from tests.access_matrix import PUBLIC, SECOND_FACTOR_STEPS
from tests.answers import assert_answer

from .urls import (
    ANSWERS,
    BUILDERS,
    NO_OBJECT,
    PAGE_BODIES,
    case_data,
    non_public_pages,
    object_url_entries,
    object_url_tables,
    project_routes,
    url_for,
)
from .urls import body_for as _body

OBJECT_ENTRIES = object_url_entries(with_objects_only=True)
ALL_ENTRIES = object_url_entries()
HTMX = {"HX-Request": "true"}


def _send(client, method, url, body=None, **headers):
    if method == "post":
        return client.post(url, body or {}, headers=headers)
    return client.get(url, headers=headers)


def test_every_kind_of_object_url_has_a_builder():
    unknown = set(object_url_tables()) - set(BUILDERS)
    assert not unknown, f"add a builder in tests/security/urls.py for: {sorted(unknown)}"


def test_every_url_of_the_project_is_in_the_net():
    known = {entry.url_name for entry in ALL_ENTRIES}
    known |= {name for name, _method in non_public_pages()} | PUBLIC
    missing = project_routes() - known
    assert not missing, f"add these to tests/access_matrix.py: {sorted(missing)}"


@pytest.mark.parametrize(
    "entry", [e for e in ALL_ENTRIES if e.table in NO_OBJECT], ids=lambda e: e.id
)
def test_urls_left_out_of_the_other_organisation_net_name_no_object(entry):
    # The builder's kwargs are the URL's whole set of arguments (reverse() takes no fewer): an id
    # added to this URL one day makes reverse() fail here, and it must then join the net.
    url = url_for(None, entry)
    # A format or a list's kind: fixed words, not records.
    assert set(resolve(url).kwargs) <= {"fmt", "kind"}


@pytest.mark.parametrize("entry", OBJECT_ENTRIES, ids=lambda e: e.id)
def test_another_organisations_object_is_not_found_and_not_changed(
    client_for, world_a, org_b, entry
):
    """With the dict's method, and a POST too (the valid form where the URL has one): a page
    that reads on GET may still act on POST (an export, an erasure)."""
    url = url_for(world_a, entry)
    body = _body(world_a, entry)
    before = case_data()
    for role in sorted(entry.roles):
        # Even just after confirming the password, as exports and erasure ask.
        client = client_for(org_b.for_role(role), reauthenticated=True)
        for method in sorted({entry.method, "post"}):
            response = _send(client, method, url, body)
            assert response.status_code == 404, (role, method, url, response.status_code)
    assert case_data() == before, "a request from another organisation changed a record"


@pytest.mark.parametrize("entry", OBJECT_ENTRIES, ids=lambda e: e.id)
def test_the_net_is_real_the_same_request_works_in_the_own_organisation(
    client_for, world_a, org_a, entry
):
    """The ids and bodies above are right: the allowed role of the object's own organisation is
    let in, and its write is saved. So the 404s above come from the organisation rule, not from
    a wrong address, and "nothing changed" is not just an empty form."""
    url = url_for(world_a, entry)
    body = _body(world_a, entry)
    role = sorted(entry.roles)[0]
    client = client_for(org_a.for_role(role), reauthenticated=True)
    if body is None:
        response = _send(client, entry.method, url)
        assert response.status_code == 200, (url, response.status_code)
        return
    before = case_data()
    response = _send(client, "post", url, body)
    assert_answer(response, ANSWERS[entry.url_name])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert case_data() != before, (url, "the valid body saved nothing", messages)


def _all_urls(world):
    """(name, url, the method it is for, a valid body where it writes) for every URL."""
    urls = [
        (name, reverse(name), "get", PAGE_BODIES[name](world) if name in PAGE_BODIES else None)
        for name, _method in non_public_pages()
    ]
    urls += [(e.url_name, url_for(world, e), e.method, _body(world, e)) for e in ALL_ENTRIES]
    return urls


def test_anonymous_visitor_gets_nothing_from_any_url_and_changes_nothing(client, world_a):
    """GET and POST (the valid form where the URL writes), plain and htmx: a redirect to sign
    in (401 with HX-Redirect for htmx), or 405 for the method a URL does not take; never a
    page, never a change."""
    sign_in = reverse("login") + "?next="
    before = case_data()
    checked = 0
    for name, url, method, body in _all_urls(world_a):
        for sent in ("get", "post"):
            for headers in ({}, HTMX):
                response = _send(client, sent, url, body, **headers)
                checked += 1
                where = (name, sent, headers, response.status_code)
                if response.status_code == 405:
                    assert sent != method, where
                elif headers and response.status_code == 401:
                    assert response["HX-Redirect"].startswith(sign_in), where
                else:
                    assert response.status_code == 302, where
                    assert response["Location"].startswith(sign_in), where
    assert checked == 4 * len(_all_urls(world_a)) >= 4 * 40
    assert case_data() == before


@pytest.mark.parametrize("entry", ALL_ENTRIES, ids=lambda e: e.id)
def test_password_without_the_second_factor_reaches_no_object_url(client_for, world_a, entry):
    url = url_for(world_a, entry)
    body = _body(world_a, entry)
    client = client_for(world_a.personas.for_role(sorted(entry.roles)[0]), second_factor=False)
    before = case_data()
    for method in sorted({entry.method, "get"} | ({"post"} if body is not None else set())):
        response = _send(client, method, url, body)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response["Location"].startswith(reverse("two_factor_setup") + "?next="), method
        htmx = _send(client, method, url, body, **HTMX)
        assert htmx.status_code == 204 and "HX-Redirect" in htmx, (method, url)
    assert case_data() == before


@pytest.mark.parametrize(
    "url_name", sorted(name for name, _m in non_public_pages() if name not in SECOND_FACTOR_STEPS)
)
def test_password_without_the_second_factor_reaches_no_page(client_for, world_a, url_name):
    from tests.access_matrix import PAGE_ACCESS

    role = sorted(PAGE_ACCESS[url_name])[0]
    client = client_for(world_a.personas.for_role(role), second_factor=False)
    body = PAGE_BODIES[url_name](world_a) if url_name in PAGE_BODIES else None
    before = case_data()
    for method in ("get", "post"):
        response = _send(client, method, reverse(url_name), body)
        assert response.status_code == 302, (method, response.status_code)
        assert response["Location"].startswith(reverse("two_factor_setup") + "?next=")
    assert case_data() == before
