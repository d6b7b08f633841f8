"""Two-factor sign-in, re-authentication, and a form kept across an idle sign-out."""

import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dvpp.models import AuditEvent
from dvpp.two_factor import current_code, enrol_demo_user
from participants.models import CaseNote
from tests.conftest import mark_reauthenticated, pass_second_factor
from tests.factories import TEST_PASSWORD, ParticipantFactory

Action = AuditEvent.Action


def sign_in_with_password(client, user, next_url=""):
    data = {"username": user.username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def events(user, action):
    return AuditEvent.objects.filter(user=user, action=action)


def step_ahead(device) -> str:
    """A code the device has not used yet: the next 30-second step's (tolerance allows it)."""
    return current_code(device, at=time.time() + device.step)


@pytest.fixture
def enrolled(org_a):
    """The facilitator, with an authenticator app set up."""
    device = enrol_demo_user(org_a.facilitator)
    return org_a.facilitator, device


# The second factor is asked for ------------------------------------------------------------


def test_after_the_password_every_page_asks_for_the_code(client, enrolled):
    user, _device = enrolled
    response = sign_in_with_password(client, user, next_url="/cases/")
    assert response["Location"] == "/cases/"
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fcases%2F"
    # Nothing of the case list reached the half-signed-in user.
    assert client.get("/admin/").status_code == 302


def test_an_htmx_request_before_the_code_gets_a_whole_page_redirect(client, enrolled):
    user, _device = enrolled
    sign_in_with_password(client, user)
    response = client.get(reverse("participants:index"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("two_factor_verify"))


def test_the_right_code_signs_in_and_returns_to_the_page_asked_for(client, enrolled):
    user, device = enrolled
    sign_in_with_password(client, user)
    response = client.post(
        reverse("two_factor_verify"), {"code": current_code(device), "next": "/cases/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert events(user, Action.SECOND_FACTOR_PASSED).count() == 1


def test_a_wrong_code_is_refused_clearly_and_audited(client, enrolled):
    user, _device = enrolled
    sign_in_with_password(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert events(user, Action.SECOND_FACTOR_FAILED).count() == 1


def test_a_code_is_good_once(client, enrolled):
    from django.test import Client

    user, device = enrolled
    code = current_code(device)
    sign_in_with_password(client, user)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    # Someone who watched the code being typed tries it at once, on another browser.
    other = Client()
    sign_in_with_password(other, user)
    response = other.post(reverse("two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert "used already" in response.content.decode()
    assert other.get(reverse("home")).status_code == 302


def test_guessing_codes_is_slowed_down(client, enrolled):
    user, _device = enrolled
    sign_in_with_password(client, user)
    client.post(reverse("two_factor_verify"), {"code": "111111"})
    # At once again: not even checked, and the page says why.
    response = client.post(reverse("two_factor_verify"), {"code": "222222"})
    assert "Wait a few seconds before trying another code" in response.content.decode()


def test_the_code_page_does_not_send_anyone_off_site(client, enrolled):
    user, device = enrolled
    sign_in_with_password(client, user)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": current_code(device), "next": "https://attacker.example/"},
    )
    assert response["Location"] == reverse("home")


def test_a_recovery_code_works_once_and_says_how_many_are_left(client, org_a):
    from dvpp.two_factor import make_recovery_codes

    user = org_a.manager
    enrol_demo_user(user)
    codes = make_recovery_codes(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in_with_password(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]}, follow=True)
    assert "Recovery codes left: 9" in response.content.decode()
    assert events(user, Action.RECOVERY_CODE_USED).count() == 1
    client.post(reverse("logout"))
    sign_in_with_password(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200 and "not right" in response.content.decode()


# Setting it up at the first sign-in ---------------------------------------------------------


def test_first_sign_in_sets_up_the_app_and_gives_recovery_codes_once(client, org_a):
    user = org_a.partner_support
    sign_in_with_password(client, user)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(reverse("two_factor_setup"), {"code": "123456"})
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # as if the user took a few seconds to read the error

    response = client.post(reverse("two_factor_setup"), {"code": current_code(device)})
    assert response["Location"].startswith(reverse("two_factor_recovery_codes"))
    page = client.get(response["Location"]).content.decode()
    codes = StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    assert len(codes) == 10 and all(code in page for code in codes)
    # Shown once: the page does not show them again.
    again = client.get(reverse("two_factor_recovery_codes"))
    assert again.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert events(user, Action.SECOND_FACTOR_ENROLLED).count() == 1


def test_the_set_up_key_stays_the_same_across_reloads(client, org_a):
    sign_in_with_password(client, org_a.manager)
    key = re.compile(r'<code class="user-select-all">([A-Z2-7 ]+)</code>')
    first = key.search(client.get(reverse("two_factor_setup")).content.decode()).group(1)
    second = key.search(client.get(reverse("two_factor_setup")).content.decode()).group(1)
    assert first == second
    assert TOTPDevice.objects.filter(user=org_a.manager).count() == 1


def test_an_enrolled_user_cannot_set_up_a_second_app_to_skip_the_code(client, enrolled):
    user, _device = enrolled
    sign_in_with_password(client, user)
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


# An administrator resets it ------------------------------------------------------------------


def test_an_administrator_resets_a_second_factor_and_it_is_audited(client_for, org_a, enrolled):
    user, _device = enrolled
    admin_client = client_for(org_a.administrator, reauthenticated=True)
    response = admin_client.post(
        reverse("admin:dvpp_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Two-factor sign-in was reset for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert event.user == org_a.administrator and event.object_id == str(user.pk)


def test_an_administrator_cannot_reset_another_organisations_user(client_for, org_a, org_b):
    other = org_b.facilitator
    enrol_demo_user(other)
    client_for(org_a.administrator, reauthenticated=True).post(
        reverse("admin:dvpp_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [other.pk]},
    )
    assert TOTPDevice.objects.filter(user=other).exists()


def test_device_secrets_are_not_in_the_admin_site(client_for, org_a):
    client = client_for(org_a.administrator, reauthenticated=True)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


# Demo accounts ------------------------------------------------------------------------------


def test_demo_code_prints_a_code_the_sign_in_accepts(client, org_a, capsys):
    user = org_a.manager
    enrol_demo_user(user)
    call_command("demo_code", user.username)
    code = capsys.readouterr().out.strip()
    sign_in_with_password(client, user)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302


def test_demo_code_refuses_a_real_account(org_a):
    from django.core.management.base import CommandError

    TOTPDevice.objects.create(user=org_a.manager, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo_code", org_a.manager.username)


# Re-authentication ----------------------------------------------------------------------------


def test_user_management_asks_for_the_password_again(client_for, org_a):
    client = client_for(org_a.administrator)
    url = reverse("admin:dvpp_user_changelist")
    response = client.get(url)
    assert response["Location"] == f"{reverse('reauthenticate')}?next=%2Fadmin%2Fdvpp%2Fuser%2F"
    response = client.post(reverse("reauthenticate"), {"password": TEST_PASSWORD, "next": url})
    assert response["Location"] == url
    assert client.get(url).status_code == 200
    assert events(org_a.administrator, Action.REAUTHENTICATED).count() == 1


def test_a_wrong_password_does_not_confirm_and_is_audited(client_for, org_a):
    client = client_for(org_a.administrator)
    response = client.post(reverse("reauthenticate"), {"password": "nope", "next": "/admin/"})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert events(org_a.administrator, Action.REAUTHENTICATION_FAILED).count() == 1
    assert client.get(reverse("admin:dvpp_user_changelist")).status_code == 302


def test_an_empty_confirmation_is_refused_clearly(client_for, org_a):
    response = client_for(org_a.manager).post(reverse("reauthenticate"), {})
    assert "Enter your password or a code" in response.content.decode()


def test_a_code_from_the_app_confirms_too(client_for, org_a):
    device = enrol_demo_user(org_a.administrator)
    client = client_for(org_a.administrator)
    client.post(reverse("reauthenticate"), {"code": step_ahead(device)})
    assert client.get(reverse("admin:dvpp_user_changelist")).status_code == 200


def test_the_confirmation_lasts_a_few_minutes(client_for, org_a, settings):
    from dvpp.reauth import SESSION_KEY

    settings.REAUTH_MINUTES = 5
    client = client_for(org_a.administrator, reauthenticated=True)
    url = reverse("admin:dvpp_user_changelist")
    assert client.get(url).status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - 6 * 60
    session.save()
    assert client.get(url).status_code == 302


def test_new_recovery_codes_need_a_confirmation(client_for, enrolled):
    user, _device = enrolled
    client = client_for(user)
    response = client.post(reverse("two_factor_manage"))
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert not StaticDevice.objects.filter(user=user).exists()
    mark_reauthenticated(client)
    response = client.post(reverse("two_factor_manage"))
    assert StaticDevice.objects.get(user=user).token_set.count() == 10


# Idle sign-out keeps what was typed -----------------------------------------------------------


@pytest.fixture
def idle_client(client_for, org_a, settings):
    """A facilitator whose session went idle 31 minutes ago, on a case page."""
    settings.SESSION_IDLE_MINUTES = 30
    man = ParticipantFactory(organisation=org_a.organisation)
    client = client_for(org_a.facilitator)
    session = client.session
    session["last_activity"] = int(time.time()) - 31 * 60
    session.save()
    return client, man


def _post_note(client, man):
    from participants.models import CaseNoteCategory

    category = CaseNoteCategory.objects.filter(organisation=man.organisation).first()
    url = reverse("participants:add_note", args=[man.public_id])
    return url, client.post(
        url,
        {
            "category": category.pk,
            "text": "Long note typed during the session",
            "submission_key": "5b0c2a52-5b8e-4c5e-9a43-2f1d3c9f7e10",
        },
        HTTP_REFERER=f"http://testserver{reverse('participants:detail', args=[man.public_id])}",
    )


def test_a_form_posted_after_the_idle_limit_is_kept_for_the_same_user(idle_client, org_a):
    client, man = idle_client
    url, response = _post_note(client, man)
    assert response["Location"] == f"{reverse('login')}?next={url}"
    page = client.get(response["Location"]).content.decode()
    assert "What you typed has been kept" in page
    assert not CaseNote.objects.exists()

    client.force_login(org_a.facilitator)
    pass_second_factor(client, org_a.facilitator)
    page = client.get(url).content.decode()
    assert "Send what you typed?" in page
    assert 'value="Long note typed during the session"' in page
    # Sending it (the hidden fields of the page) saves the note, once.
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    data.pop("csrfmiddlewaretoken", None)
    client.post(url, data)
    client.post(url, data)
    assert CaseNote.objects.get().text == "Long note typed during the session"
    # Offered once only.
    assert "Send what you typed?" not in client.get(url).content.decode()


def test_someone_else_signing_in_never_sees_the_kept_form(idle_client, org_a):
    client, man = idle_client
    url, _response = _post_note(client, man)
    client.force_login(org_a.manager)
    pass_second_factor(client, org_a.manager)
    client.get(reverse("home"))
    assert "kept_form" not in client.session
    assert "Long note" not in client.get(url).content.decode()


def test_nothing_about_a_partner_and_no_password_is_ever_kept(client_for, org_a, settings):
    settings.SESSION_IDLE_MINUTES = 30
    for user, url, data in (
        (org_a.partner_support, reverse("partners:create"), {"last_name": "Hidden Lane 12"}),
        (org_a.facilitator, reverse("reauthenticate"), {"password": "MyS3cretPassw0rd!"}),
    ):
        client = client_for(user)
        session = client.session
        session["last_activity"] = int(time.time()) - 31 * 60
        session.save()
        client.post(url, data)
        assert "kept_form" not in client.session, url


def test_a_kept_form_leaves_out_secret_fields_and_is_not_cached(idle_client, org_a):
    client, man = idle_client
    url = reverse("participants:add_note", args=[man.public_id])
    client.post(url, {"text": "Note", "password": "not-this", "code": "123456"})
    kept = client.session["kept_form"]["data"]
    assert [name for name, _value in kept] == ["text"]
    client.force_login(org_a.facilitator)
    pass_second_factor(client, org_a.facilitator)
    response = client.get(url)
    assert response["Cache-Control"] == "no-store"


def test_a_reset_ends_every_session_of_that_user(client_for, org_a, enrolled):
    from django.test import Client

    user, _device = enrolled
    other = Client()
    other.force_login(user)
    pass_second_factor(other, user)
    assert other.get(reverse("home")).status_code == 200
    admin_client = client_for(org_a.administrator, reauthenticated=True)
    admin_client.post(
        reverse("admin:dvpp_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_administrator_cannot_change_their_own_role(client_for, org_a):
    from dvpp.models import Role

    admin = org_a.administrator
    client = client_for(admin, reauthenticated=True)
    url = reverse("admin:dvpp_user_change", args=[admin.pk])
    form = client.get(url).context["adminform"].form
    assert "role" not in form.fields
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["role"] = Role.PARTNER_SUPPORT
    client.post(url, data)
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR
