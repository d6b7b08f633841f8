"""The management commands an operator runs: organisations, staff users, demo data."""

import pytest
from django.core.management import CommandError, call_command

from dvpp.models import Organisation, Role, User
from tests.conftest import operator_env
from tests.factories import OrganisationFactory


def test_create_organisation_with_a_slug(db, capsys):
    call_command("create_organisation", "Ural Crisis Centre", "--slug", "ural", "--country", "RU")
    organisation = Organisation.objects.get(slug="ural")
    assert organisation.name == "Ural Crisis Centre"
    assert organisation.country == "RU"
    assert "Created organisation" in capsys.readouterr().out


def test_create_organisation_makes_a_slug_from_the_name(db):
    call_command("create_organisation", "North Staffs DVPP")
    assert Organisation.objects.get(slug="north-staffs-dvpp")


def test_create_organisation_refuses_a_taken_slug(db):
    OrganisationFactory(slug="ural", name="First")
    with pytest.raises(CommandError, match="short name already exists"):
        call_command("create_organisation", "Second", "--slug", "ural")
    assert Organisation.objects.count() == 1


def test_create_organisation_refuses_a_cyrillic_name_without_a_slug(db):
    with pytest.raises(CommandError, match="--slug"):
        call_command("create_organisation", "Кризисный центр")
    assert not Organisation.objects.exists()


def test_create_organisation_refuses_an_unknown_time_zone(db):
    with pytest.raises(CommandError, match="not a known time zone"):
        call_command("create_organisation", "X", "--time-zone", "Mars/Olympus")
    assert not Organisation.objects.exists()


def test_create_staff_user_reads_the_password_from_the_environment(db, monkeypatch):
    organisation = OrganisationFactory(slug="ural")
    monkeypatch.setenv("STAFF_USER_PASSWORD", "a-long-enough-passphrase")
    call_command(
        "create_staff_user",
        "anna",
        "--organisation",
        "ural",
        "--role",
        "partner_support",
        "--email",
        "anna@example.org",
        "--no-input",
    )
    user = User.objects.get(username="anna")
    assert user.organisation == organisation
    assert user.role == Role.PARTNER_SUPPORT
    assert user.check_password("a-long-enough-passphrase")
    assert [g.name for g in user.groups.all()] == ["role:partner_support"]
    assert not user.is_staff


def test_create_staff_user_generates_a_password_and_shows_it_once(db, monkeypatch, capsys):
    OrganisationFactory(slug="ural")
    monkeypatch.delenv("STAFF_USER_PASSWORD", raising=False)
    call_command(
        "create_staff_user",
        "boris",
        "--organisation",
        "ural",
        "--role",
        "administrator",
        "--generate-password",
    )
    out = capsys.readouterr().out
    password = out.split("Password (shown once, not stored in clear): ")[1].strip()
    user = User.objects.get(username="boris")
    assert user.check_password(password)
    assert user.is_staff  # administrators work in the admin site


def test_create_staff_user_without_a_password_source_creates_nothing(db, monkeypatch):
    OrganisationFactory(slug="ural")
    monkeypatch.delenv("STAFF_USER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="No password"):
        call_command(
            "create_staff_user", "c", "--organisation", "ural", "--role", "manager", "--no-input"
        )
    assert not User.objects.filter(username="c").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "ural", "--role", "janitor"], "Unknown role"),
        (["--organisation", "nowhere", "--role", "manager"], "No organisation"),
    ],
)
def test_create_staff_user_refuses_unknown_role_or_organisation(db, monkeypatch, args, message):
    OrganisationFactory(slug="ural")
    monkeypatch.setenv("STAFF_USER_PASSWORD", "a-long-enough-passphrase")
    with pytest.raises(CommandError, match=message):
        call_command("create_staff_user", "dmitri", *args)
    assert not User.objects.filter(username="dmitri").exists()


def test_create_staff_user_refuses_a_weak_password(db, monkeypatch):
    OrganisationFactory(slug="ural")
    monkeypatch.setenv("STAFF_USER_PASSWORD", "password")
    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command("create_staff_user", "egor", "--organisation", "ural", "--role", "manager")
    assert not User.objects.filter(username="egor").exists()


def test_create_staff_user_refuses_a_taken_username(db, monkeypatch):
    OrganisationFactory(slug="ural")
    monkeypatch.setenv("STAFF_USER_PASSWORD", "a-long-enough-passphrase")
    call_command("create_staff_user", "fedor", "--organisation", "ural", "--role", "manager")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_staff_user", "FEDOR", "--organisation", "ural", "--role", "manager")
    assert User.objects.filter(username__iexact="fedor").count() == 1


def test_command_exits_non_zero_on_bad_input(db, monkeypatch):
    """Through the real command line, not call_command: the exit code is what scripts see."""
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_staff_user",
            "x",
            "--organisation",
            "nowhere",
            "--role",
            "janitor",
            "--no-input",
        ],
        capture_output=True,
        text=True,
        env=operator_env(DEBUG="1"),
        check=False,
    )
    assert result.returncode != 0
    assert "Unknown role" in result.stderr


def test_seed_demo_creates_a_user_per_role_in_each_demo_organisation(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for slug in ("demo", "demo-ru"):
        roles = set(User.objects.filter(organisation__slug=slug).values_list("role", flat=True))
        assert roles == set(Role.values) - {Role.COALITION_ANALYST}
    analyst = User.objects.get(role=Role.COALITION_ANALYST)
    assert analyst.organisation is None
    assert set(analyst.coalition.memberships.values_list("organisation__slug", flat=True)) == {
        "demo",
        "demo-ru",
    }
    russian = User.objects.get(username="ru-facilitator")
    assert russian.patronymic
    assert any("\u0400" <= ch <= "\u04ff" for ch in russian.last_name)


def test_seed_demo_twice_duplicates_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Organisation.objects.count(), User.objects.count())
    names = sorted(User.objects.values_list("username", "first_name", "last_name"))
    call_command("seed_demo")
    assert (Organisation.objects.count(), User.objects.count()) == counts
    assert sorted(User.objects.values_list("username", "first_name", "last_name")) == names


def test_seed_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()
    call_command("seed_demo", "--force")
    assert Organisation.objects.filter(slug="demo").exists()


def test_demo_users_can_sign_in_with_the_published_password(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    from dvpp.demo import DEMO_PASSWORD

    response = client.post(
        "/accounts/login/", {"username": "demo-manager", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
