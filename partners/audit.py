"""The audit log in words, for partner records (see :func:`dvpp.audit.describe_events`).

Nothing that identifies her, for any reader: not her name, her reference, nor whose partner she
is; the words say only what was done to a partner record. (The men's side is not shown these
events at all: dvpp.views leaves them out of its log.) Her worker follows the link."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from dvpp.access import Area, user_can
from dvpp.audit import Description, parse
from dvpp.models import AuditEvent

Action = AuditEvent.Action
UUID = r"[0-9a-f-]{36}"


def describe(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    behind_the_wall = user_can(viewer, Area.PARTNERS)
    described = {}
    for event in events:
        if not event.object_type.startswith("partners."):
            continue
        if event.object_id == "list":
            described[event.pk] = _("Opened the partner list"), ""
            continue
        link = ""
        if behind_the_wall and parse(event.object_id, UUID):
            link = reverse("partners:detail", kwargs={"public_id": event.object_id})
        described[event.pk] = _WORDS.get(event.action, _WORDS[""])(), link
    return described


_WORDS = {
    Action.VIEW: lambda: _("Opened a partner record (partner support)"),
    Action.CREATE: lambda: _("Added to a partner record (partner support)"),
    Action.CHANGE: lambda: _("Changed a partner record (partner support)"),
    Action.SUBJECT_ACCESS: lambda: _("Downloaded a partner's subject access package"),
    Action.ERASE: lambda: _("Erased a partner record"),
    Action.REFUSED: lambda: _("Was refused erasing a partner record"),
    "": lambda: _("Worked on a partner record (partner support)"),
}
