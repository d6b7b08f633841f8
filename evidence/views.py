"""The evidence pages: incidents on his case (and, from her record, the ones she reported), his
change assessment at exit, comparison groups, the incident import and the "Did it work?" report.

The wall holds here too: an incident she reported is shown on the men's side only as "a
confidential report exists" (``evidence.case_panels``), and only partner support workers record
or read its details.

Reads are audited here; each record made is audited by the service that makes it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dvpp.access import Area, area_required
from dvpp.audit import audit_event, audit_record
from dvpp.forms import add_service_errors
from dvpp.imports import run_import
from dvpp.models import AuditEvent
from dvpp.reauth import reauthentication_required
from participants.access import get_participant_for_user
from partners.access import get_partner_for_user

from . import exports, figures, importing, services
from .forms import (
    ChangeAssessmentForm,
    ComparisonCohortForm,
    IncidentForm,
    ReportedIncidentForm,
    ReportForm,
)
from .models import ChangeAssessment, ComparisonCohort, Incident, Rating


def _back_to_case(participant) -> HttpResponse:
    return redirect(reverse("participants:detail", args=[participant.public_id]) + "#incidents")


def _record(request, participant, form, known_via: str, reported_by=None):
    try:
        incident = services.incident_record(
            participant=participant,
            by=request.user,
            occurred_on=form.cleaned_data["occurred_on"],
            known_via=known_via,
            category=form.cleaned_data["category"],
            police_involved=form.cleaned_data["police_involved"],
            outcome=form.cleaned_data["outcome"],
            submission_key=form.cleaned_data["submission_key"],
            reported_by=reported_by,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return incident


@area_required(Area.CASE_WORK)
def add_incident(request: HttpRequest, public_id) -> HttpResponse:
    """An incident after his referral, as the police, probation or he himself made it known."""
    participant = get_participant_for_user(request.user, public_id)
    form = IncidentForm(request.POST or None, organisation=participant.organisation)
    if request.method == "POST" and form.is_valid():
        incident = _record(request, participant, form, form.cleaned_data["known_via"])
        if incident is not None:
            messages.success(request, _("Incident recorded."))
            return _back_to_case(participant)
    if request.method == "GET":
        audit_record(request, AuditEvent.Action.VIEW, participant, what="incident form")
    return render(
        request, "evidence/incident_form.html", {"participant": participant, "form": form}
    )


@area_required(Area.PARTNERS)
def add_reported_incident(request: HttpRequest, public_id) -> HttpResponse:
    """From her record: an incident she told the partner support service about. The men's side
    will see only that a confidential report exists."""
    partner = get_partner_for_user(request.user, public_id)
    participant = partner.participant
    form = ReportedIncidentForm(request.POST or None, organisation=partner.organisation)
    if request.method == "POST" and form.is_valid():
        incident = _record(
            request, participant, form, Incident.KnownVia.PARTNER_SUPPORT, reported_by=partner
        )
        if incident is not None:
            messages.success(
                request, _("Incident recorded. His case shows only that a report exists.")
            )
            return redirect("partners:detail", public_id=partner.public_id)
    if request.method == "GET":
        audit_record(request, AuditEvent.Action.VIEW, partner, what="reported incidents")
    # Only what this woman reported: his other partners' reports are theirs.
    reported = Incident.objects.filter(
        reported_by=partner, known_via=Incident.KnownVia.PARTNER_SUPPORT
    ).select_related("category")
    return render(
        request,
        "evidence/reported_incident.html",
        {"partner": partner, "form": form, "reported": reported},
    )


@area_required(Area.CASE_WORK)
def change_assessment(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    existing = (
        ChangeAssessment.objects.filter(participant=participant)
        .select_related("instrument", "assessed_by")
        .first()
    )
    instrument = (
        existing.instrument
        if existing
        else services.current_change_instrument(participant.organisation_id)
    )
    if instrument is None:
        raise Http404
    if request.method == "GET":
        audit_record(request, AuditEvent.Action.VIEW, participant, what="change assessment")
    if existing is not None:
        labels = dict(instrument.behaviour_labels())
        ratings = [
            (labels.get(code, code), Rating(value).label)
            for code, value in existing.ratings.items()
        ]
        return render(
            request,
            "evidence/change_assessment.html",
            {
                "participant": participant,
                "assessment": existing,
                "ratings": ratings,
                "instrument": instrument,
            },
        )
    form = ChangeAssessmentForm(
        request.POST or None,
        instrument=instrument,
        initial={"assessed_on": timezone.localdate(), "used_group_work": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_assessment_record(
                participant=participant,
                by=request.user,
                assessed_on=data["assessed_on"],
                capacity=data["capacity"],
                motivation=data["motivation"],
                ratings=form.ratings(),
                used_group_work=data["used_group_work"],
                used_individual_sessions=data["used_individual_sessions"],
                used_partner_feedback=data["used_partner_feedback"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Change assessment recorded."))
            return redirect("participants:detail", public_id=participant.public_id)
    return render(
        request,
        "evidence/change_assessment.html",
        {"participant": participant, "form": form, "instrument": instrument},
    )


def _report(request):
    form = ReportForm(request.GET or None, organisation=request.user.organisation)
    options = form.options()
    try:
        report = figures.build(request.user.organisation, **options)
    except (ValueError, ComparisonCohort.DoesNotExist):
        raise Http404 from None
    return form, report


@area_required(Area.OUTCOMES)
def report(request: HttpRequest) -> HttpResponse:
    """Did it work? The women's table, the men's change and re-offending with a comparison."""
    form, built = _report(request)
    return render(
        request,
        "evidence/report.html",
        {
            "form": form,
            "report": built,
            "heading": exports.heading(built),
            "tables": exports.tables(built),
            "query": request.GET.urlencode(),
            "cohorts": ComparisonCohort.objects.filter(organisation=request.user.organisation),
        },
    )


@area_required(Area.OUTCOMES)
@reauthentication_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report as CSV, XLSX or PDF, in the language asked for; re-authenticated, audited."""
    language = request.GET.get("lang") or translation.get_language()
    if language not in {"en", "ru"} or fmt not in {"csv", "xlsx", "pdf"}:
        raise Http404
    with translation.override(language):
        _form, built = _report(request)
        body = getattr(exports, f"to_{fmt}")(built)
    kinds = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    audit_event(
        request,
        AuditEvent.Action.EXPORT,
        "evidence.report",
        fmt,
        what=f"evidence report ({fmt}, {language}, {built.months} months)",
    )
    response = HttpResponse(body, content_type=kinds[fmt])
    stamp = built.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="did-it-work-{stamp}.{fmt}"'
    return response


@area_required(Area.OUTCOMES)
def add_comparison(request: HttpRequest) -> HttpResponse:
    form = ComparisonCohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            cohort = services.comparison_cohort_create(
                organisation=request.user.organisation, by=request.user, **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Comparison group added."))
            return redirect(reverse("evidence:report") + f"?comparison={cohort.pk}")
    return render(request, "evidence/comparison_form.html", {"form": form})


@area_required(Area.CASE_IMPORT)
def import_incidents(request: HttpRequest) -> HttpResponse:
    form, result = run_import(request, importing.import_incidents)
    return render(
        request,
        "evidence/import.html",
        {"form": form, "report": result, "columns": importing.COLUMNS},
    )
