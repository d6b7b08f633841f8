"""Shared fixtures: one set of personas per organisation, as every test reads "as the X, ...".

Services the suite uses for real (PostgreSQL through DATABASE_URL, Redis through
TEST_REDIS_URL) are skipped when absent on a developer's machine; CI sets
DVPP_REQUIRE_SERVICES=1 so that a missing service fails the run instead.
"""

import os
import time
from dataclasses import dataclass

import pytest

from dvpp.models import Organisation, Role, User

from .factories import OrganisationFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("DVPP_REQUIRE_SERVICES") == "1"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (DVPP_REQUIRE_SERVICES=1 requires it)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _english_to_start(settings):
    """Every test starts in the default language and time zone: a request in Russian by an
    earlier test on the same worker leaves its language active in the thread (the time zone of
    a request no longer outlives it, tests/dvpp/test_formats.py)."""
    from django.utils import timezone, translation

    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings, tmp_path):
    """Files a test uploads (handouts) go to its own directory, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Personas:
    organisation: Organisation
    facilitator: User
    partner_support: User
    manager: User
    administrator: User
    # The analyst of a coalition this organisation is a member of: no organisation of their own.
    coalition_analyst: User

    def for_role(self, role: Role | str) -> User:
        return getattr(self, Role(role).value)


def make_personas(slug: str, name: str) -> Personas:
    from coalition.models import Coalition, Membership

    organisation = OrganisationFactory(slug=slug, name=name)
    coalition = Coalition.objects.create(name=f"{name} coalition", slug=f"{slug}-coalition")
    Membership.objects.create(coalition=coalition, organisation=organisation)
    users = {
        role: UserFactory(
            username=f"{slug}-{role.value}",
            organisation=None if role == Role.COALITION_ANALYST else organisation,
            coalition=coalition if role == Role.COALITION_ANALYST else None,
            role=role,
        )
        for role in Role
    }
    return Personas(organisation, *(users[role] for role in Role))


@pytest.fixture
def org_a(db) -> Personas:
    return make_personas("org-a", "Organisation A")


@pytest.fixture
def org_b(db) -> Personas:
    return make_personas("org-b", "Organisation B")


def pass_second_factor(client, user: User) -> None:
    """Mark the client's session as past the second factor, as the code page does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def mark_reauthenticated(client) -> None:
    from dvpp.reauth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = time.time()
    session.save()


@pytest.fixture
def client_for(client):
    """Sign the test client in as a user, both factors: ``client_for(org_a.manager).get(...)``.

    ``second_factor=False`` stops after the password; ``reauthenticated=True`` also confirms the
    password again, as exports and subject access ask."""

    def sign_in(user: User, *, second_factor: bool = True, reauthenticated: bool = False):
        client.force_login(user)
        if second_factor:
            pass_second_factor(client, user)
        if reauthenticated:
            mark_reauthenticated(client)
        return client

    return sign_in


# Variables of the test run that must not leak into a process started as if by an operator.
_RUN_ONLY = {"PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG", "REDIS_URL"}


def operator_env(**variables: str) -> dict[str, str]:
    """The environment of a fresh `manage.py` process: this machine's, less the test run's."""
    env = {k: v for k, v in os.environ.items() if k not in _RUN_ONLY}
    return {**env, "DJANGO_SETTINGS_MODULE": "dvpp.settings", **variables}
