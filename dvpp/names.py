"""People's names as each language writes them, and their Latin form.

Russian lists put the surname first («Иванов Иван Иванович») and shorten to initials
(«Иванов И. И.»); English writes "Ivan Ivanovich Ivanov" and lists "Ivanov, Ivan". Where a Latin
form is needed (a report for a foreign funder) it is computed with the transliteration Russian
passports use (ICAO Doc 9303, in Russian passports since 2013), never typed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

# ICAO Doc 9303 (Russian passports): ё as е, й as i, ъ as ie, ь dropped.
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip


def transliterate(text: str) -> str:
    """The Latin form of a Cyrillic name, as in a Russian passport: «Юлия Щербакова» →
    "Iuliia Shcherbakova". Latin letters and other characters are kept as they are."""
    out = []
    for index, char in enumerate(text):
        latin = _ICAO.get(char.lower())
        if latin is None:
            out.append(char)
        elif not char.isupper() or not latin:
            out.append(latin)
        else:
            # A capital: the whole group in capitals inside an all-capitals word («ЩУКИН»).
            neighbour = text[index + 1 : index + 2] or text[index - 1 : index]
            out.append(latin.upper() if neighbour.isupper() else latin.capitalize())
    return "".join(out)


def _russian() -> bool:
    return (translation.get_language() or "").startswith("ru")


def full_name(last: str, first: str, patronymic: str = "") -> str:
    """«Иванов Иван Иванович» in Russian; "Ivan Ivanovich Ivanov" in English."""
    parts = [last, first, patronymic] if _russian() else [first, patronymic, last]
    return " ".join(part for part in parts if part)


def list_name(last: str, first: str, patronymic: str = "") -> str:
    """For a list sorted by surname: «Иванов Иван Иванович»; "Ivanov, Ivan Ivanovich"."""
    if _russian():
        return full_name(last, first, patronymic)
    given = " ".join(part for part in (first, patronymic) if part)
    return ", ".join(part for part in (last, given) if part)


def short_name(last: str, first: str, patronymic: str = "") -> str:
    """The surname with initials: «Иванов И. И.»; "Ivanov, I. I."."""
    initials = " ".join(f"{part[0]}." for part in (first, patronymic) if part)
    if not initials:
        return last
    return f"{last} {initials}" if _russian() else f"{last}, {initials}"


class PersonName:
    """Every form of the name, for a model with ``last_name``, ``first_name`` and
    ``patronymic`` (men and partners)."""

    last_name: str
    first_name: str
    patronymic: str

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def list_name(self) -> str:
        return list_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return short_name(self.last_name, self.first_name, self.patronymic)

    @property
    def latin_name(self) -> str:
        """The full name in Latin letters, in the English order, for foreign readers."""
        with translation.override("en"):
            return transliterate(self.full_name)


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")


def validate_single_script(value: str) -> None:
    """Refuse a word written partly in Latin and partly in Cyrillic letters («Иванoв» with a
    Latin «o»): it looks right and can never be found by search."""
    for word in re.split(r"[\s\-]+", value):
        if _CYRILLIC.search(word) and _LATIN.search(word):
            raise ValidationError(
                _("“%(word)s” mixes Latin and Cyrillic letters: type it in one alphabet.")
                % {"word": word}
            )


def search_forms(*parts: str) -> str:
    """The text a name is searched by: as written, and in Latin letters, so that «Кузнецов» is
    found by "Kuznetsov" too."""
    written = " ".join(part for part in parts if part)
    latin = transliterate(written)
    return written if latin == written else f"{written} {latin}"
