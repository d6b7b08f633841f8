"""What erasing a person's record clears in the surveys (through ``dvpp.hooks.erasure``): the
free-text answers of their own surveys. The other answers stay, so the figures stay right.

A partner's survey also points at the man (``Response.participant``) and is hers: his erasure
leaves it alone, and hers clears only hers."""

from participants.models import Participant
from participants.retention import REMOVED
from partners.models import Partner

from .models import Answer, Question


def erase(*, subject, by=None) -> dict[str, int] | None:
    """The receiver of ``hooks.erasure``."""
    if isinstance(subject, Participant):
        theirs = Answer.objects.filter(
            response__participant=subject, response__partner__isnull=True
        )
    elif isinstance(subject, Partner):
        theirs = Answer.objects.filter(response__partner=subject)
    else:
        return None
    return {"answers": theirs.filter(question__kind=Question.Kind.TEXT).update(value=REMOVED)}
