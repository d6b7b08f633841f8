"""What the group programme adds to a man's case, without the case knowing of groups: his
progress on the case page (``dvpp.hooks.case_panels``), the end of his programme when its task
is confirmed (``dvpp.hooks.case_task_done``), and the progress report for his referrer, under
his case's URLs (``dvpp.hooks.urls``: ``participants:progress``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _

from dvpp.access import Area, area_required
from dvpp.audit import audit_record
from dvpp.models import AuditEvent
from participants.access import get_participant_for_user
from participants.models import CaseTask

from .reports import progress_context, progress_pdf
from .selectors import man_progress
from .services import completion_confirm

END_OF_PROGRAMME = frozenset(
    {CaseTask.Kind.CONFIRM_COMPLETION, CaseTask.Kind.CONFIRM_NON_COMPLETION}
)


def progress_panel(*, request, participant) -> dict:
    """The receiver of ``hooks.case_panels``: his programme so far."""
    return {"progress": man_progress(participant)}


def end_of_programme(*, participant, task, by, reason: str = "") -> str | None:
    """The receiver of ``hooks.case_task_done``: confirming the end of his programme records it
    (see ``completion_confirm``); other tasks are not the programme's."""
    if task.kind not in END_OF_PROGRAMME:
        return None
    completion_confirm(participant=participant, task=task, by=by, reason=reason)
    return _("The end of his programme is recorded.")


@area_required(Area.CASE_WORK)
def progress_report(request: HttpRequest, public_id) -> HttpResponse:
    """The referrer's progress report: printable, or as a PDF, in the man's language."""
    participant = get_participant_for_user(request.user, public_id)
    if request.GET.get("format") == "pdf":
        # A download: audited as an export. One man's report, made to be sent to his referrer,
        # so it does not ask for the password again (the bulk exports do).
        audit_record(request, AuditEvent.Action.EXPORT, participant, what="progress report (PDF)")
        response = HttpResponse(progress_pdf(participant), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="progress-{participant.reference}.pdf"'
        )
        return response
    audit_record(request, AuditEvent.Action.VIEW, participant, what="progress report")
    with translation.override(participant.preferred_language):
        return render(request, "group_sessions/progress.html", progress_context(participant))


def case_urls(*, namespace: str) -> list:
    """The receiver of ``hooks.urls``: the progress report, under his case."""
    if namespace != "participants":
        return []
    return [path("<uuid:public_id>/progress/", progress_report, name="progress")]
