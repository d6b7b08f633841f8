"""The audit log in words, for incidents, change assessments and the evidence report (see
:func:`dvpp.audit.describe_events`)."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from dvpp.audit import Description, parse
from dvpp.models import AuditEvent
from participants.audit import Wording, describe_case_events

Action = AuditEvent.Action


def describe(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    described = describe_case_events(events, _wording, viewer=viewer)
    report = reverse("evidence:report")
    for event in events:
        if event.object_type == "evidence.report":
            described[event.pk] = (
                _("Downloaded the evidence report (%(format)s)")
                % {"format": event.object_id.upper()},
                report,
            )
        elif event.object_type == "evidence.comparisoncohort":
            described[event.pk] = _("Added a comparison group"), report
        elif event.object_type == "evidence.incident" and event.object_id == "import":
            found = parse(event.what, r"import: (\d+) incidents")
            text = (
                _("Imported incidents from a spreadsheet (%(count)s)") % {"count": found[1]}
                if found
                else _("Imported incidents from a spreadsheet")
            )
            described[event.pk] = text, report
    return described


def _wording(event: AuditEvent) -> Wording | None:
    if parse(event.what, r"incident \d+"):
        return _("Recorded an incident on the case of %(name)s"), {}
    if event.what == "incident form":
        return _("Opened the incident form of %(name)s"), {}
    if event.what == "change assessment":
        if event.action == Action.CREATE:
            return _("Recorded a change assessment of %(name)s"), {}
        return _("Opened the change assessment of %(name)s"), {}
    return None
