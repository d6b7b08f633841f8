"""The kinds of message in the outbox, as the apps that write them declare them
(:data:`dvpp.hooks.outbox_kinds`). Apart from :mod:`dvpp.notifications` so that the outbox's
model can name its kind without importing the sending code."""

from typing import NamedTuple

from django.utils.functional import Promise

from . import hooks


class Kind(NamedTuple):
    """A kind of message an app puts in the outbox (see :data:`dvpp.hooks.outbox_kinds`)."""

    name: str
    label: str | Promise
    # The message names partners: once sent, the outbox keeps no copy of its body.
    forget_body: bool = False


def kinds() -> dict[str, Kind]:
    return {kind.name: kind for kind in hooks.outbox_kinds.call_flat()}


def kind_label(kind: str) -> str:
    found = kinds().get(kind)
    return str(found.label) if found else kind
