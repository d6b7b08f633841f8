from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvpp import hooks
from dvpp.access import Area, area_required, get_for_user, user_can
from dvpp.audit import audit_record
from dvpp.forms import add_service_errors
from dvpp.imports import run_import
from dvpp.models import AuditEvent

from . import importing, selectors, services
from .access import get_participant_for_user
from .forms import (
    AppointmentForm,
    AssessmentDecisionForm,
    CaseNoteForm,
    ParticipantFilterForm,
    ParticipantForm,
    ReferralForm,
    RiskForm,
    StatusChangeForm,
)
from .models import CaseNote, CaseTask, ReferralSource, RiskFlag

PAGE_SIZE = 25
Action = AuditEvent.Action


def _referral_data(form: ReferralForm) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}


@area_required(Area.CASES)
def index(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    filters = ParticipantFilterForm(request.GET or None, organisation=organisation)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    participants = selectors.participant_list(
        user=request.user,
        query=criteria.get("q", ""),
        status=criteria.get("status", ""),
        source=criteria.get("source"),
        key_worker=criteria.get("key_worker"),
        risk=criteria.get("risk", ""),
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    sources = selectors.sources_by_id(request.user)
    for participant in page:
        participant.latest_source = sources.get(participant.latest_source_id)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participants/index.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "can_work": user_can(request.user, Area.CASE_WORK),
            "can_import": user_can(request.user, Area.CASE_IMPORT),
        },
    )


def _list_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@area_required(Area.CASES)
def risk_flags(request: HttpRequest) -> HttpResponse:
    """Risk flags not yet acknowledged (``?mine=1``: on the user's own cases)."""
    mine = request.GET.get("mine") == "1"
    flags = selectors.open_risk_flags(user=request.user, mine=mine)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/risk_flags.html",
        {"page": page, "mine": mine, "query": _list_query(request)},
    )


@area_required(Area.CASES)
def open_tasks(request: HttpRequest) -> HttpResponse:
    """Case tasks not done yet (``?mine=1``: on the user's own cases; ``?decisions=1``: only
    those waiting for a decision)."""
    mine = request.GET.get("mine") == "1"
    decisions = request.GET.get("decisions") == "1"
    tasks = selectors.open_case_tasks(user=request.user, mine=mine, decisions=decisions)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/tasks.html",
        {"page": page, "mine": mine, "decisions": decisions, "query": _list_query(request)},
    )


@area_required(Area.CASE_WORK)
def intake(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    person = ParticipantForm(request.POST or None, organisation=organisation, prefix="person")
    referral = ReferralForm(request.POST or None, organisation=organisation, prefix="referral")
    if request.method == "POST" and person.is_valid() and referral.is_valid():
        try:
            participant = services.referral_intake(
                organisation=organisation,
                by=request.user,
                participant_data=person.cleaned_data,
                referral_data=_referral_data(referral),
                submission_key=referral.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(person, error)
        else:
            messages.success(
                request,
                _("Case %(reference)s opened for %(name)s.")
                % {"reference": participant.reference, "name": participant.full_name},
            )
            return redirect("participants:detail", public_id=participant.public_id)
    return render(request, "participants/intake.html", {"person": person, "referral": referral})


@area_required(Area.CASES)
def detail(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    audit_record(request, Action.VIEW, participant)
    organisation = request.user.organisation
    can_work = user_can(request.user, Area.CASE_WORK)
    context = {
        "case": selectors.case_record(participant, all_notes=request.GET.get("notes") == "all"),
        "participant": participant,
        "can_work": can_work,
        "risk_flag": participant.risk_flags.filter(acknowledged_at__isnull=True).first(),
        # Partner support workers may add his partners; nobody else learns anything of them.
        "can_support_partners": user_can(request.user, Area.PARTNERS),
        "can_subject_access": user_can(request.user, Area.SUBJECT_ACCESS),
    }
    # The apps above add their panels: his consents, his progress, the evidence.
    for panel in hooks.case_panels.call(request=request, participant=participant):
        context.update(panel)
    if can_work:
        allowed = services.allowed_transitions(participant)
        context.update(
            status_form=StatusChangeForm(
                allowed=allowed, organisation_id=participant.organisation_id
            )
            if allowed
            else None,
            note_form=CaseNoteForm(organisation=organisation),
            risk_form=RiskForm(initial={"level": participant.risk_level}),
            appointment_form=AppointmentForm(organisation=organisation),
            decision_form=AssessmentDecisionForm(),
            in_assessment=participant.status in {"referred", "assessment"},
        )
    return render(request, "participants/detail.html", context)


@area_required(Area.CASE_WORK)
def edit(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = ParticipantForm(
        request.POST or None, instance=participant, organisation=participant.organisation
    )
    if request.method == "POST" and form.is_valid():
        services.participant_update(
            participant=participant, by=request.user, changed=form.changed_data
        )
        messages.success(request, _("The details have been saved."))
        return redirect("participants:detail", public_id=participant.public_id)
    audit_record(request, Action.VIEW, participant, what="details form")
    return render(request, "participants/edit.html", {"form": form, "participant": participant})


def _back(participant):
    return redirect("participants:detail", public_id=participant.public_id)


def _report(request, form, error: ValidationError | None = None) -> None:
    """Errors of a small form on the case page come back as messages there."""
    if error is not None:
        add_service_errors(form, error)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


@require_POST
@area_required(Area.CASE_WORK)
def change_status(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = StatusChangeForm(
        request.POST,
        allowed=services.allowed_transitions(participant),
        organisation_id=participant.organisation_id,
    )
    if not form.is_valid():
        _report(request, form)
        return _back(participant)
    try:
        change = services.participant_set_status(
            participant=participant,
            to_status=form.cleaned_data["to_status"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            exit_reason=form.cleaned_data["exit_reason"],
        )
    except ValidationError as error:
        _report(request, form, error)
    else:
        messages.success(
            request,
            _("Status changed to “%(status)s”.") % {"status": change.get_to_status_display()},
        )
    return _back(participant)


@require_POST
@area_required(Area.CASE_WORK)
def set_risk(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = RiskForm(request.POST)
    if form.is_valid():
        services.participant_set_risk(
            participant=participant, by=request.user, level=form.cleaned_data["level"]
        )
        messages.success(request, _("Risk level saved."))
    else:
        _report(request, form)
    return _back(participant)


@require_POST
@area_required(Area.CASE_WORK)
def add_appointment(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = AppointmentForm(request.POST, organisation=participant.organisation)
    if not form.is_valid():
        _report(request, form)
        return _back(participant)
    try:
        services.assessment_add_appointment(
            participant=participant, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        _report(request, form, error)
    else:
        messages.success(request, _("Assessment appointment recorded."))
    return _back(participant)


@require_POST
@area_required(Area.CASE_WORK)
def decide_assessment(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = AssessmentDecisionForm(request.POST)
    if not form.is_valid():
        _report(request, form)
        return _back(participant)
    try:
        services.assessment_decide(participant=participant, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, form, error)
    else:
        messages.success(request, _("Assessment outcome recorded."))
    return _back(participant)


@require_POST
@area_required(Area.CASE_WORK)
def add_note(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = CaseNoteForm(request.POST, organisation=participant.organisation)
    corrects = None
    if corrects_id := request.POST.get("corrects", ""):
        if not corrects_id.isdigit():
            raise Http404
        corrects = get_for_user(
            CaseNote.objects.filter(participant=participant), request.user, pk=int(corrects_id)
        )
    if not form.is_valid():
        _report(request, form)
        return _back(participant)
    try:
        services.case_note_add(
            participant=participant,
            by=request.user,
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
            corrects=corrects,
            submission_key=form.cleaned_data["submission_key"],
        )
    except ValidationError as error:
        _report(request, form, error)
    else:
        messages.success(request, _("Note added."))
    return _back(participant)


@area_required(Area.CASE_WORK)
def add_referral(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    form = ReferralForm(request.POST or None, organisation=participant.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_add(
                participant=participant,
                by=request.user,
                data=_referral_data(form),
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral added."))
            return _back(participant)
    return render(
        request, "participants/referral_form.html", {"form": form, "participant": participant}
    )


@area_required(Area.CASE_IMPORT)
def import_referrals(request: HttpRequest) -> HttpResponse:
    form, report = run_import(request, importing.import_file)
    if report is not None and report.imported:
        messages.success(request, report.summary())
    sources = ReferralSource.objects.filter(
        organisation=request.user.organisation, is_archived=False
    )
    return render(
        request,
        "participants/import.html",
        {"form": form, "report": report, "sources": sources, "columns": importing.COLUMNS},
    )


@require_POST
@area_required(Area.CASE_WORK)
def task_done(request: HttpRequest, public_id, task_id: int) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    task = get_for_user(CaseTask.objects.filter(participant=participant), request.user, pk=task_id)
    try:
        done = services.case_task_close(
            participant=participant,
            task=task,
            by=request.user,
            reason=request.POST.get("reason", "").strip(),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(participant)
    messages.success(request, done or _("Task done."))
    return _back(participant)


@require_POST
@area_required(Area.CASE_WORK)
def acknowledge_flag(request: HttpRequest, public_id, flag_id: int) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    flag = get_for_user(RiskFlag.objects.filter(participant=participant), request.user, pk=flag_id)
    services.risk_flag_acknowledge(flag=flag, by=request.user)
    messages.success(request, _("Risk flag acknowledged."))
    return _back(participant)
