"""A person's survey responses for their subject-access package.

Added to each package through ``dvpp.hooks.subject_access_sections``: a man's own surveys
(``partner`` empty), or one partner's. ``Response.participant`` is always the man, so it is
never shown here: a partner's package must not carry his case, and his must not carry hers.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dvpp.subject_access import Section, Value, choice, columns
from participants.models import Participant
from partners.models import Partner

from .models import Response


def survey_sections(responses: QuerySet[Response]) -> list[Section]:
    """Two sections, in a fixed number of queries: the responses, and every answer given."""
    responses = list(
        responses.select_related("instrument")
        .prefetch_related("answers__question")
        .order_by("answered_on", "pk")
    )
    answers = []
    for response in responses:
        for answer in sorted(response.answers.all(), key=lambda a: a.question.number):
            question = answer.question
            labels = dict(question.choices())
            answers.append(
                {
                    "response": response.pk,
                    "question_code": answer.question_code,
                    "question": question.text,
                    "value": Value(answer.value, labels.get(answer.value, answer.value)),
                }
            )
    return [
        Section(
            "survey_responses",
            _("Surveys answered"),
            [
                ("id", pgettext("record number", "Number")),
                ("instrument", _("Survey")),
                *columns(Response, "wave", "answered_on"),
            ],
            [
                {
                    "id": r.pk,
                    "instrument": Value(
                        f"{r.instrument.code}/{r.instrument.version}", str(r.instrument)
                    ),
                    "wave": choice(r, "wave"),
                    "answered_on": r.answered_on,
                }
                for r in responses
            ],
        ),
        Section(
            "survey_answers",
            _("Survey answers"),
            [
                ("response", _("Survey number")),
                ("question_code", _("Question code")),
                ("question", _("Question")),
                ("value", _("Answer")),
            ],
            answers,
        ),
    ]


def sections(*, subject) -> list[Section]:
    """The receiver of ``hooks.subject_access_sections``."""
    if isinstance(subject, Participant):
        # Only his own surveys: a partner's survey also points at him, and is hers.
        return survey_sections(Response.objects.filter(participant=subject, partner__isnull=True))
    if isinstance(subject, Partner):
        return survey_sections(Response.objects.filter(partner=subject))
    return []
