"""Bad input on every form that writes: a forged CSRF token, ids of another organisation's
records in the form, a forged organisation, the same form sent twice.

Every write of the project is here, from the bodies of tests/security/urls.py (which
test_other_organisation.py proves do save when sent rightly)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_matrix import PAGE_ACCESS
from tests.answers import assert_answer
from tests.conftest import mark_reauthenticated, pass_second_factor
from tests.factories import category_of, source_of

from .urls import (
    ANSWERS,
    BODIES,
    PAGE_BODIES,
    build_world,
    case_data,
    object_url_entries,
    url_for,
)


def _writes():
    """(id, how to build the URL, the role that may send it, the body) for every write."""
    writes = []
    for entry in object_url_entries(with_objects_only=True):
        if entry.url_name in BODIES:
            writes.append((entry.id, entry, sorted(entry.roles)[0], BODIES[entry.url_name]))
    for url_name, body in sorted(PAGE_BODIES.items()):
        writes.append((url_name, url_name, sorted(PAGE_ACCESS[url_name])[0], body))
    return writes


WRITES = _writes()


def _url(world, target) -> str:
    return reverse(target) if isinstance(target, str) else url_for(world, target)


def _url_name(target) -> str:
    return target if isinstance(target, str) else target.url_name


def _forging_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    pass_second_factor(client, user)
    mark_reauthenticated(client)
    return client


def test_every_write_is_in_the_list():
    written = {name for name, *_ in WRITES}
    assert {e.id for e in object_url_entries() if e.method == "post"} <= written


@pytest.mark.parametrize(("name", "target", "role", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_a_forged_csrf_token_is_refused_and_saves_nothing(world_a, name, target, role, body):
    client = _forging_client(world_a.personas.for_role(role))
    client.get(reverse("home"))  # sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    tampered = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    url = _url(world_a, target)
    data = body(world_a)
    before = case_data()
    for headers, extra in (
        ({}, {"csrfmiddlewaretoken": tampered}),
        ({}, {}),  # no token at all
        ({"HX-Request": "true", "X-CSRFToken": tampered}, {}),  # htmx sends it in a header
    ):
        response = client.post(url, {**data, **extra}, headers=headers)
        assert response.status_code == 403, (name, headers, extra)
    assert case_data() == before
    # The real token is let through: the 403s above were the token's doing.
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert_answer(response, ANSWERS[_url_name(target)])
    assert case_data() != before


@pytest.fixture
def world_b(org_b):
    return build_world(org_b)


# (write, form field, organisation B's record to put in it, the answer): the form comes back
# with the field refused (200), or the case or group page says why (a redirect to it), or the
# man named is not found (404).
FORGED_IDS = [
    (
        "participants:intake",
        "referral-source",
        lambda b: source_of(b.personas.organisation).pk,
        200,
    ),
    ("participants:intake", "person-key_worker", lambda b: b.personas.facilitator.pk, 200),
    ("CASE_ACCESS-participants:edit", "key_worker", lambda b: b.personas.facilitator.pk, 200),
    (
        "CASE_ACCESS-participants:add_referral",
        "source",
        lambda b: source_of(b.personas.organisation, "self").pk,
        200,
    ),
    (
        "CASE_ACCESS-participants:add_appointment",
        "assessor",
        lambda b: b.personas.facilitator.pk,
        "participants:detail",
    ),
    (
        "CASE_ACCESS-participants:add_note",
        "category",
        lambda b: category_of(b.personas.organisation).pk,
        "participants:detail",
    ),
    ("group_sessions:group_create", "programme", lambda b: b.group.programme_id, 200),
    ("group_sessions:group_create", "facilitator", lambda b: b.personas.manager.pk, 200),
    ("group_sessions:group_create", "co_facilitator", lambda b: b.personas.facilitator.pk, 200),
    (
        "GROUP_ACCESS-group_sessions:allocate",
        "participant",
        lambda b: b.waiting.pk,
        "group_sessions:group",
    ),
    (
        "GROUP_PLACE_ACCESS-group_sessions:move_enrolment",
        "to_group",
        lambda b: b.other_group.pk,
        "group_sessions:group",
    ),
    ("SESSION_ACCESS-group_sessions:mark", "participant", lambda b: str(b.member.public_id), 404),
    ("partners:create", "participant", lambda b: b.waiting.pk, 200),
    ("partners:create", "worker", lambda b: b.personas.partner_support.pk, 200),
    ("PARTNER_ACCESS-partners:edit", "worker", lambda b: b.personas.partner_support.pk, 200),
]


@pytest.mark.parametrize(
    ("write", "field", "forged", "answer"),
    FORGED_IDS,
    ids=[f"{w}-{f}" for w, f, _, _ in FORGED_IDS],
)
def test_a_record_of_another_organisation_in_a_form_is_refused(
    client_for, world_a, world_b, write, field, forged, answer
):
    _name, target, role, body = next(w for w in WRITES if w[0] == write)
    data = body(world_a)
    data[field] = forged(world_b)
    before = case_data()
    response = client_for(world_a.personas.for_role(role)).post(_url(world_a, target), data)
    assert_answer(response, answer)
    assert case_data() == before, "a form took another organisation's record"


ORGANISATION_FIELDS = ("organisation", "organisation_id", "person-organisation")


@pytest.mark.parametrize(("name", "target", "role", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_a_forged_organisation_in_a_form_is_refused_and_audited(
    client_for, world_a, org_b, name, target, role, body
):
    """No page asks for an organisation: a form that names another one is refused whole."""
    from dvpp.models import AuditEvent

    data = {**body(world_a), **dict.fromkeys(ORGANISATION_FIELDS, org_b.organisation.pk)}
    before = case_data()
    client = client_for(world_a.personas.for_role(role))
    response = client.post(_url(world_a, target), data)
    assert response.status_code == 400
    assert "It named another organisation" in response.content.decode()
    assert case_data() == before
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.REFUSED, what="another organisation's id"
    ).exists()


@pytest.mark.parametrize(("name", "target", "role", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_an_organisation_in_a_prefixed_field_is_ignored(
    client_for, world_a, org_b, name, target, role, body
):
    """Any other field naming an organisation is not read: records land in the user's own."""
    data = {**body(world_a), "referral-organisation": org_b.organisation.pk}
    before = case_data()
    client = client_for(world_a.personas.for_role(role), reauthenticated=True)
    response = client.post(_url(world_a, target), data)
    assert_answer(response, ANSWERS[_url_name(target)])
    after = case_data()
    assert after != before, "the form saved nothing: the check below would prove nothing"
    for label, rows in after.items():
        old = {row["id"]: row for row in before[label]}
        for row in rows:
            if row != old.get(row["id"]) and "organisation_id" in row:
                assert row["organisation_id"] == world_a.personas.organisation.pk, (label, row)


def _keyed_writes():
    """The writes whose form carries a one-time submission key."""
    keyed = {
        "participants:intake": "referral-submission_key",
        "CASE_ACCESS-participants:add_referral": "submission_key",
        "CASE_ACCESS-participants:add_note": "submission_key",
        "PARTNER_ACCESS-partners:add_checkin": "submission_key",
    }
    return [(w, keyed[w[0]]) for w in WRITES if w[0] in keyed]


KEYED = _keyed_writes()


@pytest.mark.parametrize(("write", "key_field"), KEYED, ids=[w[0] for w, _key in KEYED])
def test_the_same_form_sent_twice_saves_once(client_for, world_a, write, key_field):
    _name, target, role, body = write
    client = client_for(world_a.personas.for_role(role))
    data = {**body(world_a), key_field: str(uuid.uuid4())}
    url = _url(world_a, target)
    assert client.post(url, data).status_code == 302
    once = case_data()
    assert client.post(url, data).status_code == 302
    assert case_data() == once


def test_a_survey_sent_twice_is_recorded_once(client_for, world_a):
    from outcomes.models import Response

    url = reverse("outcomes:man_survey", args=[world_a.case.public_id, "men-self-report"])
    client = client_for(world_a.personas.facilitator)
    page = client.get(url).content.decode()
    data = {"wave": "baseline", "answered_on": "2026-01-05", "submission_key": str(uuid.uuid4())}
    from outcomes.forms import ResponseForm
    from outcomes.models import Instrument

    form = ResponseForm(
        instrument=Instrument.objects.get(
            organisation=world_a.personas.organisation, code="men-self-report"
        )
    )
    for field_name, form_field in form.fields.items():
        if field_name.startswith("q_") and hasattr(form_field, "choices"):
            data[field_name] = form_field.choices[0][0]
        elif field_name.startswith("q_") and form_field.required:
            data[field_name] = "1"
    assert "submission_key" in page
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert client.post(url, data).status_code == 302
    assert Response.objects.filter(participant=world_a.case).count() == 1


def test_a_new_partner_form_sent_twice_makes_one_record(client_for, world_a):
    import uuid

    from partners.models import Partner

    client = client_for(world_a.personas.partner_support)
    # The page's form carries a one-time key; a second tap sends the same key.
    data = {**PAGE_BODIES["partners:create"](world_a), "submission_key": str(uuid.uuid4())}
    for _ in range(2):
        client.post(reverse("partners:create"), data)
    assert Partner.objects.filter(participant=world_a.waiting).count() == 1


def test_a_malformed_partner_email_is_refused_and_nothing_saved(client_for, world_a):
    from partners.models import Partner

    client = client_for(world_a.personas.partner_support)
    before = Partner.objects.count()
    data = {**PAGE_BODIES["partners:create"](world_a), "email": "x@"}
    response = client.post(reverse("partners:create"), data)
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert Partner.objects.count() == before
