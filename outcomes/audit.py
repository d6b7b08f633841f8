"""The audit log in words, for surveys and outcome tables (see
:func:`dvpp.audit.describe_events`). A survey is described without its answers."""

import datetime
from collections.abc import Sequence

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from dvpp.audit import Description, choice_label, parse
from dvpp.models import AuditEvent
from participants.audit import Wording, describe_case_events

from .models import Wave


def describe(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    described = describe_case_events(events, _wording, viewer=viewer)
    index = reverse("outcomes:index")
    for event in events:
        if event.object_type == "outcomes.table":
            described[event.pk] = (
                _("Downloaded the outcome tables (%(format)s)")
                % {"format": event.object_id.upper()},
                index,
            )
        elif event.object_type == "outcomes.response" and event.object_id == "import":
            # Not how many, nor whose: an import of partners' surveys is partner work.
            described[event.pk] = _("Imported survey responses from a spreadsheet"), index
        elif event.object_type == "outcomes.outcomesnapshot":
            described[event.pk] = _snapshot(event), index
    return described


def _snapshot(event: AuditEvent) -> str:
    found = parse(event.what, r"outcome snapshot ([\d-]+)")
    try:
        day = datetime.date.fromisoformat(found[1]) if found else None
    except ValueError:
        day = None
    if day is None:
        return _("Kept the night's outcome figures")
    return _("Kept the night's outcome figures of %(date)s") % {
        "date": formats.date_format(day, "DATE_FORMAT")
    }


def _wording(event: AuditEvent) -> Wording | None:
    if found := parse(event.what, r"survey form \(([\w-]+)\)"):
        return _("Opened the survey “%(survey)s” for %(name)s"), {"survey": found[1]}
    if found := parse(event.what, r"survey response \d+ \(([\w-]+), (\w+)\)"):
        return _("Recorded a survey response of %(name)s: “%(survey)s”, %(wave)s"), {
            "survey": found[1],
            "wave": choice_label(Wave, found[2]),
        }
    return None
