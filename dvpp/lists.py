"""One person's history on their page: the latest few by default, everything when asked.

A man's case notes or a woman's check-ins grow for as long as the service knows them; the page
that shows them must not. :func:`latest` reads one row more than it shows, so the page knows
there are older ones without counting them, and costs the same queries either way.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass
class Latest:
    """The rows to show, newest first, and whether older ones were left out. Iterates like the
    list it holds, so a template's ``{% for %}`` and ``{% empty %}`` work unchanged."""

    rows: list
    more: bool
    everything: bool

    def __iter__(self) -> Iterator:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __getitem__(self, index):
        return self.rows[index]


def latest(queryset: QuerySet, *, limit: int, everything: bool = False) -> Latest:
    """The first ``limit`` rows of ``queryset`` (ordered newest first), or all of them."""
    if everything:
        return Latest(list(queryset), more=False, everything=True)
    rows = list(queryset[: limit + 1])
    return Latest(rows[:limit], more=len(rows) > limit, everything=False)
