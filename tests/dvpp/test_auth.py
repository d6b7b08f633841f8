"""Signing in and out, and changing a password."""

import re

from django.urls import reverse

from tests.conftest import pass_second_factor
from tests.factories import TEST_PASSWORD

WRONG = "Please enter a correct username and password"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_member_signs_in_and_lands_on_home(client, org_a):
    response = sign_in(client, org_a.facilitator.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(org_a.facilitator.pk)


def test_wrong_password_shows_an_error_and_creates_no_session(client, org_a):
    response = sign_in(client, org_a.facilitator.username, "not-the-password")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_and_inactive_user_look_exactly_like_a_wrong_password(client, org_a):
    org_a.manager.is_active = False
    org_a.manager.save(update_fields=["is_active"])
    wrong = sign_in(client, org_a.facilitator.username, "not-the-password")
    unknown = sign_in(client, "nobody-here", "not-the-password")
    inactive = sign_in(client, org_a.manager.username, TEST_PASSWORD)

    def error_list(response):
        form = response.content.decode().split("<form", 1)[1].split("</form>", 1)[0]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)

    # Only the echoed username differs between the three forms.
    assert error_list(wrong).replace(org_a.facilitator.username, "U") == error_list(
        unknown
    ).replace("nobody-here", "U")
    assert error_list(inactive).replace(org_a.manager.username, "U") == error_list(unknown).replace(
        "nobody-here", "U"
    )
    assert "_auth_user_id" not in client.session


def test_sign_in_does_not_follow_a_next_address_off_site(client, org_a):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {
            "username": org_a.facilitator.username,
            "password": TEST_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_out_needs_a_post_and_ends_the_session(client_for, org_a):
    client = client_for(org_a.facilitator)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "You have been signed out." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_password_change_with_bad_input_keeps_the_old_password(client_for, org_a):
    client = client_for(org_a.facilitator)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong-old-password",
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    org_a.facilitator.refresh_from_db()
    assert org_a.facilitator.check_password(TEST_PASSWORD)


def test_password_change_works_and_says_so(client_for, org_a):
    client = client_for(org_a.facilitator)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
        follow=True,
    )
    assert "Your password has been changed." in response.content.decode()
    org_a.facilitator.refresh_from_db()
    assert org_a.facilitator.check_password("a-new-long-passphrase-2026")


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, org_a):
    for _ in range(5):
        sign_in(client, org_a.facilitator.username, "not-the-password")
    response = sign_in(client, org_a.facilitator.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_username_is_locked_out_just_the_same(client, org_a):
    responses = [sign_in(client, "nobody-here", "x") for _ in range(6)]
    assert responses[3].status_code == 200 and responses[5].status_code == 429


def test_one_address_trying_many_usernames_is_locked_out(client, org_a):
    for index in range(5):
        sign_in(client, f"guess{index}", "x")
    response = sign_in(client, org_a.manager.username, TEST_PASSWORD)
    assert response.status_code == 429


def test_the_admin_sign_in_is_locked_out_too(client, org_a):
    for _ in range(5):
        client.post(
            "/admin/login/", {"username": org_a.administrator.username, "password": "wrong"}
        )
    response = client.post(
        "/admin/login/", {"username": org_a.administrator.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429


def test_a_successful_sign_in_clears_earlier_failures(client, org_a):
    for _ in range(4):
        sign_in(client, org_a.facilitator.username, "not-the-password")
    assert sign_in(client, org_a.facilitator.username, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        sign_in(client, org_a.facilitator.username, "not-the-password")
    assert sign_in(client, org_a.facilitator.username, TEST_PASSWORD).status_code == 302


def test_a_session_ends_after_the_idle_limit(client_for, org_a, settings):
    import time

    settings.SESSION_IDLE_MINUTES = 30
    client = client_for(org_a.facilitator)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after a period without activity." in page


def test_activity_keeps_the_session_alive(client_for, org_a):
    client = client_for(org_a.facilitator)
    for _ in range(3):
        assert client.get(reverse("home")).status_code == 200


def test_an_expired_htmx_request_gets_a_whole_page_redirect(client, db):
    response = client.post(
        "/groups/sessions/00000000-0000-0000-0000-000000000000/mark/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="/groups/sessions/abc/",
    )
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")


def test_changing_the_password_ends_the_users_other_sessions(client_for, org_a):
    from django.test import Client

    other = Client()
    other.force_login(org_a.facilitator)
    pass_second_factor(other, org_a.facilitator)
    assert other.get(reverse("home")).status_code == 200
    client_for(org_a.facilitator).post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-long-passphrase-2026",
            "new_password2": "another-long-passphrase-2026",
        },
    )
    assert other.get(reverse("home")).status_code == 302


def test_sign_ins_and_failed_sign_ins_are_audited(client, org_a):
    from dvpp.models import AuditEvent

    sign_in(client, org_a.facilitator.username, "not-the-password")
    sign_in(client, org_a.facilitator.username, TEST_PASSWORD)
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "object_id", "ip"))
    assert events == [
        ("sign_in_failed", org_a.facilitator.username, "127.0.0.1"),
        ("sign_in", str(org_a.facilitator.pk), "127.0.0.1"),
    ]


def test_the_database_refuses_to_rewrite_the_audit_log(org_a):
    import pytest
    from django.db import DatabaseError, connection, transaction

    from dvpp.models import AuditEvent

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the model")
    AuditEvent.objects.create(action="view", object_type="dvpp.user", object_id="1")
    for statement in (
        "UPDATE dvpp_auditevent SET action = 'change'",
        "DELETE FROM dvpp_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.get().action == "view"


def test_a_lockout_is_audited_with_the_username_and_address(client, org_a):
    from dvpp.models import AuditEvent

    for _ in range(5):
        sign_in(client, org_a.facilitator.username, "not-the-password")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOCKED_OUT)
    assert event.object_id == org_a.facilitator.username
    assert event.ip == "127.0.0.1"


def test_every_response_and_audit_event_carries_the_request_id(client, org_a):
    from dvpp.models import AuditEvent

    response = sign_in(client, org_a.facilitator.username, TEST_PASSWORD)
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.request_id == request_id
    assert client.get(reverse("login"))["X-Request-ID"] != request_id


def test_a_tampered_csrf_token_gets_a_clear_page_and_is_audited(org_a):
    from django.test import Client

    from dvpp.models import AuditEvent

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"),
        {"username": org_a.facilitator.username, "password": TEST_PASSWORD},
    )
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditEvent.Action.REFUSED)
    assert (event.object_id, event.what) == ("/accounts/login/", "csrf token")


def test_an_idle_sign_out_is_audited(client_for, org_a, settings):
    import time

    from dvpp.models import AuditEvent

    client = client_for(org_a.facilitator)
    session = client.session
    session["last_activity"] = int(time.time()) - (settings.SESSION_IDLE_MINUTES + 1) * 60
    session.save()
    client.get(reverse("home"))
    event = AuditEvent.objects.get(action=AuditEvent.Action.SESSION_ENDED)
    assert event.user == org_a.facilitator
