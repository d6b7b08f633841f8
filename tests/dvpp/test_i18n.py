"""English and Russian: the switcher, the pages, and a complete, compiled Russian catalogue."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import skip_or_fail

LOCALE = Path(__file__).resolve().parents[2] / "dvpp" / "locale" / "ru" / "LC_MESSAGES"


def test_language_switcher_turns_the_pages_russian(client_for, org_a):
    client = client_for(org_a.facilitator)
    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("home")})
    assert response.status_code == 302
    content = client.get(reverse("home")).content.decode()
    assert 'lang="ru"' in content
    assert "Группы" in content  # the "Groups" navigation entry
    assert "Groups" not in content


def test_sign_in_page_follows_the_browsers_language(client, db):
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Войти" in content
    assert "Sign in" not in content


def test_switcher_refuses_a_next_address_off_site(client, db):
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_error_message_of_a_wrong_password_is_translated(client, org_a):
    response = client.post(
        reverse("login"),
        {"username": org_a.facilitator.username, "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in response.content.decode()


def test_russian_roles_read_naturally():
    from dvpp.models import Role

    with translation.override("ru"):
        assert str(Role.PARTNER_SUPPORT.label) == "Специалист службы поддержки партнёров"


def test_russian_catalogue_is_complete_and_compiled():
    if shutil.which("msgfmt") is None:
        skip_or_fail("msgfmt (gettext) is not installed")
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats

    # The committed .mo holds exactly what the .po says.
    fresh = subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
    compiled = gettext.GNUTranslations(mo.open("rb"))._catalog
    expected = gettext.GNUTranslations(_BytesFile(fresh))._catalog
    compiled.pop("", None)
    expected.pop("", None)
    assert compiled == expected, "dvpp/locale/ru is not compiled: run `manage.py compilemessages`"


class _BytesFile:
    def __init__(self, data: bytes):
        self.data = data

    def read(self) -> bytes:
        return self.data


@pytest.mark.parametrize("url_name", ["login"])
def test_no_english_left_on_a_russian_page(client, db, url_name):
    content = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for english in ("Sign in", "Username", "Password", "Skip to content"):
        assert english not in content
