"""Case-specific text in what is about to leave the organisation in a package.

A session plan written after a real session can still hold a man's surname, his case reference,
a phone number or an address. Before a programme is published, every text that travels (names,
titles, descriptions, plans, handout titles and text files, survey wording, the change note) is
searched for:

* an e-mail address;
* a phone number (9 to 15 digits, however spaced, or a local number such as 345-67-89);
* a case reference of the organisation (its 5-digit references);
* the surname of any man on the organisation's cases (also a previous surname), or of any
  partner or ex-partner in its records, compared as whole words, case-blind, with «ё» as «е»,
  in Latin letters too («Кузнецов» is found written "Kuznetsov"), and in its Russian case forms
  («для Ивановой», «с Кузнецовым»).

A finding says *where* (the week and which text) and *what kind* of text, never the text itself:
a partner's name must not reach the manager's screen (or anyone's log) this way either.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dvpp.models import Organisation
from dvpp.names import transliterate
from dvpp.search import normalise

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s\-().]{0,2}\d){8,14}(?!\w)")
LOCAL_PHONE = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{2}(?![\d-])")
FIVE_DIGITS = re.compile(r"(?<!\d)\d{5}(?!\d)")
WORD = re.compile(r"\w+")
CYRILLIC = re.compile(r"[а-я]")
# The endings a Russian surname takes in its cases («Иванов» → «Иванова», «Ивановым»;
# «Ёлкина» → «Ёлкиной»; «Достоевский» → «Достоевского»), after its stem.
CASE_ENDINGS = frozenset(
    {"", "а", "у", "ом", "ым", "е", "ой", "ую", "ы", "ых", "ыми", "ою", "ей", "и", "ю", "ем"}
    | {"я", "ям", "ями", "ах", "ого", "ому", "им", "их", "ими", "ий", "ый", "ая", "ое", "ее"}
)
# What comes off a surname to leave its stem: an adjective's ending first, then a last vowel.
STEM_ENDINGS = ("ий", "ый", "ой", "ая", "яя", "а", "я", "й", "ь")
# Shorter stems are found only as written: «Лев» must not find «Лева», «Левый» …
MIN_STEM = 4


class Kind:
    EMAIL = _("an e-mail address")
    PHONE = _("a phone number")
    REFERENCE = _("a case reference of your organisation")
    MAN = _("the surname of a man on one of your organisation's cases")
    PARTNER = _("the surname of a partner or ex-partner in your organisation's records")


@dataclass(frozen=True)
class Finding:
    where: str  # "week 3, session plan (Russian)": built from numbers and labels only
    kind: Promise


def _words(text: str) -> str:
    """The text as space-separated normalised words, padded, for whole-word matching."""
    return " " + " ".join(WORD.findall(normalise(text))) + " "


def _name_forms(surname: str) -> set[str]:
    """A surname as it might be written: normalised, and in Latin letters."""
    forms = set()
    for form in (surname, transliterate(surname)):
        words = WORD.findall(normalise(form))
        # A single letter (an initial) or nothing (an anonymised "—") is not a surname to find.
        if words and len("".join(words)) > 1:
            forms.add(" ".join(words))
    return forms


def _stem(form: str) -> str | None:
    """The stem a one-word Cyrillic surname is declined on, if long enough to be safe."""
    if " " in form or not CYRILLIC.search(form):
        return None
    for ending in STEM_ENDINGS:
        if form.endswith(ending):
            form = form[: -len(ending)]
            break
    return form if len(form) >= MIN_STEM else None


class _Names:
    """Surnames to find: as whole words (or phrases) and, in Russian, in their case forms."""

    def __init__(self):
        self.forms: set[str] = set()
        self.stems: set[str] = set()

    def add(self, surname: str) -> None:
        for form in _name_forms(surname):
            self.forms.add(form)
            stem = _stem(form)
            if stem:
                self.stems.add(stem)

    def found_in(self, padded: str, words: list[str]) -> bool:
        if any(f" {form} " in padded for form in self.forms):
            return True
        for word in words:
            for cut in range(0, 4):
                stem, ending = (word[:-cut], word[-cut:]) if cut else (word, "")
                if ending in CASE_ENDINGS and stem in self.stems:
                    return True
        return False


class Screen:
    """The organisation's case-specific words, loaded once, for checking many texts."""

    def __init__(self, organisation: Organisation):
        from participants.models import Participant
        from partners.models import Partner

        self.organisation = organisation
        self.men = _Names()
        for last_name, previous in Participant.objects.filter(
            organisation=organisation
        ).values_list("last_name", "previous_surnames"):
            for surname in [last_name, *previous.split(",")]:
                self.men.add(surname)
        # Behind the wall: her surname is compared here and goes nowhere else (the manager who
        # publishes never sees it, and a finding does not quote it).
        self.partners = _Names()
        for surname in Partner.objects.filter(organisation=organisation).values_list(
            "last_name", flat=True
        ):
            self.partners.add(surname)

    def _is_reference(self, numbers: set[str]) -> bool:
        from participants.models import Participant

        return Participant.objects.filter(
            organisation=self.organisation, reference__in=numbers
        ).exists()

    def kinds(self, text: str) -> list[Promise]:
        """What case-specific text there is in one text, by kind (each kind once)."""
        if not text or not text.strip():
            return []
        found = []
        if EMAIL.search(text):
            found.append(Kind.EMAIL)
        if PHONE.search(text) or LOCAL_PHONE.search(text):
            found.append(Kind.PHONE)
        numbers = set(FIVE_DIGITS.findall(text))
        if numbers and self._is_reference(numbers):
            found.append(Kind.REFERENCE)
        words = WORD.findall(normalise(text))
        # The surnames are also held in Latin letters; the text is not transliterated: Russian
        # words in Latin letters would find English surnames («нет» is "net").
        padded = _words(text)
        if self.men.found_in(padded, words):
            found.append(Kind.MAN)
        if self.partners.found_in(padded, words):
            found.append(Kind.PARTNER)
        return found

    def check(self, texts: list[tuple[str, str]]) -> list[Finding]:
        """Every finding in (where, text) pairs."""
        return [Finding(where, kind) for where, text in texts for kind in self.kinds(text)]
