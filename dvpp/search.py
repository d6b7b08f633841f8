"""Text normalised for search: the same in Cyrillic and Latin, case-blind, «ё» read as «е».

Models keep a ``search_text`` column built with :func:`normalise`; a query is normalised the
same way and matched with a plain ``contains``, which behaves alike on SQLite (whose LIKE folds
only ASCII case) and on PostgreSQL.
"""

import re

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


def search_terms(query: str) -> list[str]:
    """The words of a query, each to be found somewhere in the searched text."""
    return [term for term in normalise(query).split(" ") if term]
