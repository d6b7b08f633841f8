"""Retention in the surveys (through ``dvpp.hooks.retention``): when a man's case has passed its
retention period, the free-text answers of every survey on his case (his, and his partners') are
removed; the other answers stay, so the figures still add up."""

from participants.models import Participant
from participants.retention import REMOVED

from .models import Answer, Question


def anonymise(*, participant: Participant) -> dict[str, int]:
    """The receiver of ``hooks.retention``."""
    answers = Answer.objects.filter(
        response__participant=participant, question__kind=Question.Kind.TEXT
    )
    return {"answers": answers.update(value=REMOVED)}
