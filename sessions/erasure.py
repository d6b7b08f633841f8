"""What erasing a man's record clears in the group programme (through ``dvpp.hooks.erasure``):
the notes typed on his attendance marks. His places in groups and the marks themselves stay,
so the register and the figures stay right; nobody else's marks are touched."""

from participants.models import Participant

from .models import Attendance


def erase(*, subject, by=None) -> dict[str, int] | None:
    """The receiver of ``hooks.erasure``."""
    if not isinstance(subject, Participant):
        return None
    cleared = Attendance.objects.filter(participant=subject).exclude(note="").update(note="")
    return {"attendance_notes": cleared}
