"""Name forms for lists and reports, and the passport transliteration."""

import pytest
from django.utils import translation

from dvpp.names import full_name, list_name, short_name, transliterate


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Юлия Щербакова", "Iuliia Shcherbakova"),
        ("Фёдор Хрущёв", "Fedor Khrushchev"),
        ("Андрей Васильевич Подъячев", "Andrei Vasilevich Podieiachev"),
        ("Цветкова Наталья Эдуардовна", "Tsvetkova Natalia Eduardovna"),
        ("ЖУКОВ", "ZHUKOV"),
        ("Smith-Петров", "Smith-Petrov"),
    ],
)
def test_transliteration_follows_russian_passports(cyrillic, latin):
    assert transliterate(cyrillic) == latin


def test_russian_lists_put_the_surname_first_and_shorten_to_initials():
    with translation.override("ru"):
        assert full_name("Иванов", "Иван", "Петрович") == "Иванов Иван Петрович"
        assert list_name("Иванов", "Иван", "Петрович") == "Иванов Иван Петрович"
        assert short_name("Иванов", "Иван", "Петрович") == "Иванов И. П."
        assert short_name("Byrne", "Sam") == "Byrne S."


def test_english_writes_given_names_first_and_lists_by_surname():
    with translation.override("en"):
        assert full_name("Ivanov", "Ivan", "Petrovich") == "Ivan Petrovich Ivanov"
        assert list_name("Ivanov", "Ivan", "Petrovich") == "Ivanov, Ivan Petrovich"
        assert list_name("Byrne", "Sam") == "Byrne, Sam"
        assert short_name("Byrne", "Sam") == "Byrne, S."
        assert short_name("Byrne", "") == "Byrne"


def test_a_mans_case_has_every_form_of_his_name(db):
    from tests.factories import ParticipantFactory

    man = ParticipantFactory.build(last_name="Щербаков", first_name="Юрий", patronymic="Ильич")
    with translation.override("ru"):
        assert (man.full_name, man.short_name) == ("Щербаков Юрий Ильич", "Щербаков Ю. И.")
    with translation.override("en"):
        assert man.full_name == "Юрий Ильич Щербаков"
    assert man.latin_name == "Iurii Ilich Shcherbakov"
