"""His places in groups and his attendance, for his subject-access package
(``participants.subject_access``, through ``dvpp.hooks.subject_access_sections``).

A partner is never in a group: her package gets nothing from here."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dvpp.subject_access import Section, choice, columns
from participants.models import Participant

from .models import Attendance, Enrolment


def sections(*, subject) -> list[Section]:
    """The receiver of ``hooks.subject_access_sections``."""
    if not isinstance(subject, Participant):
        return []
    return _programme(subject)


def _programme(p: Participant) -> list[Section]:
    enrolments = (
        Enrolment.objects.filter(participant=p)
        .select_related("group__programme", "first_session")
        .order_by("created_at", "pk")
    )
    marks = (
        Attendance.objects.filter(participant=p)
        .select_related("session__theme")
        .order_by("session__date", "pk")
    )
    return [
        Section(
            "enrolments",
            _("Places in groups"),
            [
                ("id", pgettext("record number", "Number")),
                ("programme", _("Programme")),
                ("group", _("Group")),
                ("first_session", _("First session")),
                *columns(Enrolment, "state", "ended_on"),
            ],
            [
                {
                    "id": e.pk,
                    "programme": e.group.programme.name,
                    "group": e.group.name,
                    "first_session": e.first_session.date,
                    "state": choice(e, "state"),
                    "ended_on": e.ended_on,
                }
                for e in enrolments
            ],
        ),
        Section(
            "attendance",
            _("Attendance"),
            [
                ("enrolment", _("Place number")),
                ("date", _("Date")),
                ("week", _("Week")),
                ("theme", _("Theme")),
                *columns(Attendance, "outcome", "note"),
            ],
            [
                {
                    "enrolment": m.enrolment_id,
                    "date": m.session.date,
                    "week": m.session.theme.number,
                    "theme": m.session.theme.title,
                    "outcome": choice(m, "outcome"),
                    "note": m.note,
                }
                for m in marks
            ],
        ),
    ]
