"""Destruction records for managers: the list, and each one printed as an act with the matching
extract of the audit log (what a Russian operator keeps for three years)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dvpp.access import Area, get_for_user, scope_to_organisation, user_can
from dvpp.audit import audit_record
from dvpp.models import AuditEvent

from .models import RetentionRecord

# What each count in ``RetentionRecord.removed`` is of.
REMOVED_LABELS = {
    "notes": _("Case notes (text)"),
    "referrals": _("Referrals (reason and referrer)"),
    "assessments": _("Assessment reasons"),
    "status_reasons": _("Reasons typed for status changes"),
    "attendance_notes": _("Attendance notes"),
    "answers": _("Survey comments"),
    "messages": _("Addresses of messages sent"),
    "partners": _("Partner records (names and contact details)"),
    "checkins": _("Check-ins (what she said)"),
    "safety_plans": _("Safety plans"),
    "risk_assessments": _("Risk judgement notes"),
    "marac": _("MARAC outcomes"),
}


def _records_for(user):
    """Managers see the men's destruction records; partner support workers see the partners'
    (behind the wall); nobody sees both."""
    if user_can(user, Area.PARTNERS):
        subject = RetentionRecord.Subject.PARTNER
    elif user_can(user, Area.AUDIT):
        subject = RetentionRecord.Subject.MAN
    else:
        raise PermissionDenied
    return scope_to_organisation(
        RetentionRecord.objects.filter(subject=subject).select_related("performed_by"), user
    )


@login_required
def destruction_list(request: HttpRequest) -> HttpResponse:
    records = _records_for(request.user)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "participants/destruction_list.html", {"page": page})


@login_required
def destruction_act(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_for_user(
        _records_for(request.user).select_related("organisation"), request.user, pk=record_id
    )
    events = (
        AuditEvent.objects.filter(
            organisation_id=record.organisation_id, object_id=record.object_id
        ).order_by("at", "pk")
        if record.object_id
        else AuditEvent.objects.none()
    )
    audit_record(request, AuditEvent.Action.VIEW, record, what="destruction act")
    return render(
        request,
        "participants/destruction_act.html",
        {
            "record": record,
            "events": events[:500],
            "hers": record.subject == RetentionRecord.Subject.PARTNER,
            "removed": [
                (REMOVED_LABELS.get(key, key), count)
                for key, count in sorted(record.removed.items())
            ],
        },
    )
