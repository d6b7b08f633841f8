"""The audit log in words, for groups, sessions and the register (see
:func:`dvpp.audit.describe_events`): "Marked Tom Baxter present, Group A, 3 December 2026"."""

import datetime
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from dvpp.audit import Description, choice_label, parse
from dvpp.models import AuditEvent
from participants.audit import Wording, describe_case_events

from .models import Attendance, Group, Programme, Session

Action = AuditEvent.Action
UUID = r"[0-9a-f-]{36}"
CANCELLED = "cancelled; theme moved to"


def describe(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    organisation_id = viewer.organisation_id
    session_ids = set()
    group_ids = set()
    for event in events:
        if found := parse(
            event.what, rf"(?:attendance: \w+,|cancelled; theme moved to) session ({UUID})"
        ):
            session_ids.add(found[1])
        elif found := parse(event.what, rf"(?:allocated|moved) to group ({UUID})"):
            group_ids.add(found[1])
        if event.object_type == "group_sessions.session":
            session_ids.add(event.object_id)
        elif event.object_type == "group_sessions.group":
            group_ids.add(event.object_id)
    sessions = _by_public_id(
        Session.objects.filter(group__organisation_id=organisation_id).select_related("group"),
        session_ids,
    )
    groups = _by_public_id(Group.objects.filter(organisation_id=organisation_id), group_ids)

    def wording(event: AuditEvent) -> Wording | None:
        if found := parse(event.what, rf"attendance: (\w+), session ({UUID})"):
            session = sessions.get(found[2])
            return _MARKS.get(found[1], _MARKS[""])(), {
                "mark": choice_label(Attendance.Outcome, found[1]),
                "session": _session_name(session),
            }
        if found := parse(event.what, rf"allocated to group ({UUID})"):
            return _("Allocated %(name)s to %(group)s"), {"group": _group_name(groups, found[1])}
        if found := parse(event.what, rf"moved to group ({UUID})"):
            return _("Moved %(name)s to %(group)s"), {"group": _group_name(groups, found[1])}
        return None

    def url(event: AuditEvent, case) -> str:
        found = parse(event.what, rf"attendance: \w+, session ({UUID})")
        session = sessions.get(found[1]) if found else None
        if session is not None:
            return reverse("group_sessions:register", kwargs={"public_id": session.public_id})
        if case is None:
            return ""
        return reverse("participants:detail", kwargs={"public_id": case.public_id})

    described = describe_case_events(events, wording, viewer=viewer, url=url)
    for event in events:
        if event.object_type == "group_sessions.session":
            described[event.pk] = _session_event(event, sessions)
        elif event.object_type == "group_sessions.group":
            group = groups.get(event.object_id)
            described[event.pk] = (
                _("Created the group %(group)s and its schedule")
                % {"group": _group_name(groups, event.object_id)},
                reverse("group_sessions:group", kwargs={"public_id": group.public_id})
                if group is not None
                else "",
            )
    described.update(_programme_events(events, organisation_id=organisation_id))
    return described


# One sentence per mark, as a register reads: "Marked Tom Baxter present, Group A, 3 December".
_MARKS = {
    Attendance.Outcome.PRESENT: lambda: _("Marked %(name)s present, %(session)s"),
    Attendance.Outcome.LATE: lambda: _("Marked %(name)s late, %(session)s"),
    Attendance.Outcome.AUTHORISED: lambda: _(
        "Marked %(name)s absent with a reason (authorised), %(session)s"
    ),
    Attendance.Outcome.UNAUTHORISED: lambda: _(
        "Marked %(name)s absent without a reason (unauthorised), %(session)s"
    ),
    "": lambda: _("Marked %(name)s “%(mark)s”, %(session)s"),
}


def _by_public_id(queryset, public_ids: Iterable[str]) -> dict:
    wanted = [value for value in public_ids if parse(value, UUID)]
    if not wanted:
        return {}
    return {str(row.public_id): row for row in queryset.filter(public_id__in=wanted)}


def _group_name(groups: dict, public_id: str) -> str:
    group = groups.get(public_id)
    return group.name if group is not None else _("a group no longer held")


def _session_name(session: Session | None) -> str:
    """ "Group A, 3 December 2026", in the reader's language."""
    if session is None:
        return _("a session no longer held")
    return _("%(group)s, %(date)s") % {
        "group": session.group.name,
        "date": formats.date_format(session.date, "DATE_FORMAT"),
    }


def _session_event(event: AuditEvent, sessions: dict) -> Description:
    session = sessions.get(event.object_id)
    link = (
        reverse("group_sessions:register", kwargs={"public_id": session.public_id})
        if session is not None
        else ""
    )
    values = {"session": _session_name(session)}
    if found := parse(event.what, rf"cancelled; theme moved to session ({UUID})"):
        values["replacement"] = _session_name(sessions.get(found[1]))
        return _("Cancelled the session %(session)s; its theme moved to %(replacement)s") % (
            values
        ), link
    if found := parse(event.what, r"moved: ([\d-]+) ([\d:]+)→([\d-]+) ([\d:]+)"):
        values["from"] = _when(found[1], found[2])
        values["to"] = _when(found[3], found[4])
        return _("Moved the session %(session)s from %(from)s to %(to)s") % values, link
    if parse(event.what, r"reminders queued: \d+"):
        return _("Queued the reminders of the session %(session)s") % values, link
    return _("Changed the session %(session)s") % values, link


def _when(day: str, time: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(f"{day}T{time}")
    except ValueError:
        return f"{day} {time}"
    return formats.date_format(moment, "DATETIME_FORMAT")


def _programme_events(events: Sequence[AuditEvent], *, organisation_id) -> dict[int, Description]:
    """A programme made from a library package (the library writes them on the programme)."""
    on_programmes = [e for e in events if e.object_type == "group_sessions.programme"]
    ids = {int(e.object_id) for e in on_programmes if e.object_id.isdigit()}
    programmes = (
        {
            str(row.pk): row
            for row in Programme.objects.filter(organisation_id=organisation_id, pk__in=ids)
        }
        if ids
        else {}
    )
    described = {}
    for event in on_programmes:
        programme = programmes.get(event.object_id)
        name = str(programme) if programme is not None else _("a programme no longer held")
        if event.action == Action.CREATE:
            text = _("Added the programme %(programme)s from a library package")
        else:
            text = _("Changed the programme %(programme)s")
        described[event.pk] = (text % {"programme": name}, "")
    return described
