"""The audit log in words, for consents and data requests on men's cases (see
:func:`dvpp.audit.describe_events`). Hers are partner records, worded by partners.audit."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from dvpp.audit import Description, choice_label, parse
from dvpp.models import AuditEvent
from participants.audit import Wording, describe_case_events

from .models import Purpose, SubjectRequest

Action = AuditEvent.Action


def describe(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    return describe_case_events(events, _wording, viewer=viewer)


def _wording(event: AuditEvent) -> Wording | None:
    if event.action == Action.VIEW and event.what == "consent form":
        return _("Printed the consent form of %(name)s"), {}
    if found := parse(event.what, r"consent withdrawn: (\w+)"):
        return _("Recorded that %(name)s withdrew his consent: %(purpose)s"), {
            "purpose": choice_label(Purpose, found[1])
        }
    if found := parse(event.what, r"consent: (\w+)"):
        return _("Recorded the consent of %(name)s: %(purpose)s"), {
            "purpose": choice_label(Purpose, found[1])
        }
    if found := parse(event.what, r"request: (\w+)"):
        return _("Logged a request from %(name)s: %(request)s"), {
            "request": choice_label(SubjectRequest.Kind, found[1])
        }
    return None
