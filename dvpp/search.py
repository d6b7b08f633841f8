"""Text normalised for search: the same in Cyrillic and Latin, case-blind, «ё» read as «е».

Models keep a ``search_text`` column built with :func:`normalise`; a query is normalised the
same way and matched with a plain ``contains``, which behaves alike on SQLite (whose LIKE folds
only ASCII case) and on PostgreSQL.

A searched model inherits :class:`SearchedModel` (the column and its ``save()``) and uses
:class:`SearchedQuerySet`. The column is computed in one place, the model's
``build_search_text()``, called by ``save()`` and, through :class:`SearchedQuerySet`, by
``bulk_create`` and ``bulk_update`` (which skip ``save()``); a queryset ``update()`` of a
searched field without the column is refused, so no way of writing a name leaves the record
unfindable.
"""

import re
from collections.abc import Iterable

from django.db import models

from .names import search_forms

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


def search_terms(query: str) -> list[str]:
    """The words of a query, each to be found somewhere in the searched text."""
    return [term for term in normalise(query).split(" ") if term]


def name_search_text(*parts: str) -> str:
    """The search column of a record known by these parts (a reference, names): as written and
    in Latin letters, normalised. A part with no letter or digit (the «—» left by anonymisation)
    is not searchable."""
    return normalise(search_forms(*(part for part in parts if _WORD.search(part or ""))))


class SearchedQuerySet(models.QuerySet):
    """Keeps ``search_text`` right on the bulk paths that skip ``save()``. A model using it
    defines ``build_search_text()`` and lists the fields it is built from in
    ``SEARCHED_FIELDS``."""

    def _searched_fields(self) -> frozenset[str]:
        return frozenset(self.model.SEARCHED_FIELDS)

    def bulk_create(self, objs: Iterable, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if self._searched_fields() & set(fields):
            for obj in objs:
                obj.search_text = obj.build_search_text()
            if "search_text" not in fields:
                fields.append("search_text")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        changed = self._searched_fields() & kwargs.keys()
        if changed and "search_text" not in kwargs:
            raise TypeError(
                f"update() of {', '.join(sorted(changed))} would leave search_text stale: "
                "save the rows (or bulk_update them), which rebuilds it"
            )
        return super().update(**kwargs)


class SearchedModel(models.Model):
    """A model found by search: its ``search_text`` column, rebuilt on every ``save()`` (added
    to ``update_fields`` when those are given). A model using it defines
    ``build_search_text()``, lists the fields it is built from in ``SEARCHED_FIELDS`` and uses
    :class:`SearchedQuerySet`."""

    search_text = models.TextField(editable=False, default="")

    SEARCHED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        raise NotImplementedError
