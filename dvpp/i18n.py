"""The two languages of the service, for text stored in both (a lookup's label, a survey's
wording): which one is active, and the stored text to show in it."""

from django.utils import translation


def is_russian() -> bool:
    """Whether pages, documents and messages are being written in Russian just now."""
    return translation.get_language() == "ru"


def bilingual(english: str, russian: str) -> str:
    """The Russian text when Russian is active and there is one; the English otherwise."""
    return russian if is_russian() and russian else english
