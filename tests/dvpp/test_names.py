"""Staff names read the way each language expects."""

from django.utils import translation

from dvpp.models import User


def ivanov() -> User:
    return User(username="ii", first_name="Иван", patronymic="Петрович", last_name="Иванов")


def test_russian_puts_the_surname_first():
    with translation.override("ru"):
        assert ivanov().get_full_name() == "Иванов Иван Петрович"


def test_english_puts_the_surname_last():
    with translation.override("en"):
        assert ivanov().get_full_name() == "Иван Петрович Иванов"


def test_russian_greets_by_given_name_and_patronymic():
    with translation.override("ru"):
        assert ivanov().get_short_name() == "Иван Петрович"
    with translation.override("en"):
        assert ivanov().get_short_name() == "Иван"


def test_a_name_without_patronymic_has_no_gap():
    user = User(username="ss", first_name="Sam", last_name="Byrne")
    with translation.override("ru"):
        assert user.get_full_name() == "Byrne Sam"
    assert str(User(username="only-username")) == "only-username"
