"""The evidence on his case page (``participants.views.detail``, through
``dvpp.hooks.case_panels``): his incidents and his change assessment.

The wall holds here: an incident she reported shows on the men's side only as "a confidential
report exists"; only a reader who works behind the wall sees it."""

from dvpp.access import Area, user_can

from .models import ChangeAssessment


def evidence_panel(*, request, participant) -> dict:
    """The receiver of ``hooks.case_panels``: incidents (hers only as a count, unless the reader
    works behind the wall) and his change assessment."""
    user = request.user
    behind_wall = user_can(user, Area.PARTNERS)
    incidents = list(participant.incidents.select_related("category"))
    confidential = [i for i in incidents if i.is_confidential]
    can_work = user_can(user, Area.CASE_WORK)
    assessment = ChangeAssessment.objects.filter(participant=participant).first()
    return {
        "incidents": incidents if behind_wall else [i for i in incidents if not i.is_confidential],
        "confidential_reports": len(confidential) if not behind_wall else 0,
        "can_record_incident": can_work,
        "change_assessment": assessment,
    }
