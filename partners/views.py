"""Pages of the partner support service. Every view is for partner support workers only
(Area.PARTNERS), every partner is found through get_partner_for_user, and every read of a
partner's record is written to the audit log here (each change by the service that makes it).

Her subject-access and erasure pages are the data-protection pages (``consent.subject_pages``,
for ``data_subject.PARTNER``); the incidents she reported are recorded by ``evidence.views``.
Both are routed under her record by ``partners.urls``, with the same rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dvpp.access import (
    Area,
    area_required,
    get_for_user,
)
from dvpp.audit import audit_event, audit_record
from dvpp.calendar import OrganisationCalendar
from dvpp.forms import add_service_errors
from dvpp.lists import latest
from dvpp.models import AuditEvent
from participants.access import get_participant_for_user

from . import selectors, services
from .access import get_partner_for_user
from .forms import CheckInForm, ContactAttemptForm, MaracForm, PartnerForm, RiskForm, SafetyPlanForm
from .home import TITLES
from .models import MaracReferral, PartnerTask, RiskChecklist

PAGE_SIZE = 25  # as the case list
PANEL_SIZE = 10  # the most urgent of each of the worker's lists, above the partner list


def _checklist(user) -> RiskChecklist:
    return (
        RiskChecklist.objects.filter(organisation_id=user.organisation_id, is_current=True)
        .prefetch_related("items")
        .order_by("-version")
        .first()
    )


@area_required(Area.PARTNERS)
def index(request: HttpRequest) -> HttpResponse:
    """The worker's day (tasks, overdue check-ins, partners awaiting first contact: the most
    urgent few of each, with a link to all of them) above the partner list, a page at a time."""
    mine = request.GET.get("mine") == "1"
    query = request.GET.get("q", "")
    show = request.GET.get("show", "")
    if show not in selectors.SHOWS:
        show = ""
    # The list shows partners' names: a read, recorded once per page (never the search words).
    audit_event(request, AuditEvent.Action.VIEW, "partners.partner", "list")
    partners = selectors.partner_list(user=request.user, query=query, mine=mine, show=show)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    page_query = request.GET.copy()
    page_query.pop("page", None)
    # One more than is shown tells whether there are more, without counting them all.
    tasks = list(selectors.open_tasks(request.user)[: PANEL_SIZE + 1])
    overdue = selectors.overdue_checkins(request.user, mine=mine, limit=PANEL_SIZE + 1)
    awaiting = selectors.awaiting_contact(request.user, limit=PANEL_SIZE + 1)
    return render(
        request,
        "partners/index.html",
        {
            "page": page,
            "page_query": page_query.urlencode(),
            "tasks": tasks[:PANEL_SIZE],
            "more_tasks": len(tasks) > PANEL_SIZE,
            "overdue": overdue[:PANEL_SIZE],
            "more_overdue": len(overdue) > PANEL_SIZE,
            "awaiting": awaiting[:PANEL_SIZE],
            "more_awaiting": len(awaiting) > PANEL_SIZE,
            "mine": mine,
            "query": query,
            "show": show,
            "show_title": TITLES.get(show, ""),
            "limit": request.user.organisation.partner_contact_working_days,
            "today": timezone.localdate(),
        },
    )


@area_required(Area.PARTNERS)
def create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if man := request.GET.get("man"):
        initial["participant"] = get_participant_for_user(request.user, man)
    form = PartnerForm(
        request.POST or None, organisation=request.user.organisation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("participant", "submission_key")
        }
        try:
            partner = services.partner_create(
                organisation=request.user.organisation,
                by=request.user,
                participant=form.cleaned_data["participant"],
                data=data,
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Partner record created."))
            return redirect("partners:detail", public_id=partner.public_id)
    return render(request, "partners/form.html", {"form": form})


HISTORY_SHOWN = 10


@area_required(Area.PARTNERS)
def detail(request: HttpRequest, public_id) -> HttpResponse:
    partner = get_partner_for_user(request.user, public_id)
    audit_record(request, AuditEvent.Action.VIEW, partner)
    checklist = _checklist(request.user)
    today = timezone.localdate()
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            # Her history grows for as long as she is supported: the latest, or all if asked.
            "attempts": latest(
                partner.attempts.select_related("by"),
                limit=HISTORY_SHOWN,
                everything=request.GET.get("attempts") == "all",
            ),
            "assessments": list(partner.assessments.select_related("by", "checklist")),
            "marac": list(partner.marac.all()),
            "lowerings": list(partner.lowerings.select_related("by")),
            "plans": list(partner.safety_plans.select_related("by")[:3]),
            "checkins": latest(
                partner.checkins.select_related("by"),
                limit=HISTORY_SHOWN,
                everything=request.GET.get("checkins") == "all",
            ),
            "tasks": list(partner.tasks.filter(done_at__isnull=True)),
            "days_to_contact": selectors.days_to_first_contact(
                partner, OrganisationCalendar(request.user.organisation)
            ),
            "attempt_form": ContactAttemptForm(initial={"at": timezone.localtime()}),
            "risk_form": RiskForm(checklist=checklist, initial={"assessed_on": today})
            if checklist
            else None,
            "checklist": checklist,
            "plan_form": SafetyPlanForm(),
            "checkin_form": CheckInForm(initial=_checkin_initial(partner)),
            "marac_form": MaracForm(),
            **_consent_context(partner),
        },
    )


def _consent_context(partner) -> dict:
    from consent.forms import ConsentForm, WithdrawalForm
    from consent.models import Subject
    from consent.services import current_templates, partner_consent_warnings

    consents = list(partner.consents.select_related("template"))
    templates = current_templates(partner.organisation_id, Subject.PARTNER)
    return {
        "consents": consents,
        # Her summary says what the consent records say, and nothing else.
        "valid_consents": [record for record in consents if record.is_valid()],
        "consent_warnings": partner_consent_warnings(consents),
        "consent_urls": {
            "person": partner.public_id,
            "add": "partners:add_consent",
            "withdraw": "partners:withdraw_consent",
            "print": "partners:print_consent",
        },
        "consent_templates": templates,
        "consent_form": ConsentForm(templates=templates),
        "withdrawal_form": WithdrawalForm(),
    }


@require_POST
@area_required(Area.PARTNERS)
def add_consent(request: HttpRequest, public_id) -> HttpResponse:
    from consent.models import Subject
    from consent.views import give_consent

    partner = get_partner_for_user(request.user, public_id)
    return give_consent(
        request,
        partner,
        subject=Subject.PARTNER,
        give=services.partner_consent_give,
        back=reverse("partners:detail", args=[partner.public_id]),
    )


@require_POST
@area_required(Area.PARTNERS)
def withdraw_consent(request: HttpRequest, public_id, consent_id: int) -> HttpResponse:
    from consent.views import withdraw_consent as record_withdrawal

    from .models import PartnerConsent

    partner = get_partner_for_user(request.user, public_id)
    record = get_for_user(
        PartnerConsent.objects.filter(partner=partner).select_related("template"),
        request.user,
        pk=consent_id,
    )
    return record_withdrawal(
        request,
        partner,
        record,
        withdraw=services.partner_consent_withdraw,
        back=reverse("partners:detail", args=[partner.public_id]),
    )


@area_required(Area.PARTNERS)
def print_consent(request: HttpRequest, public_id, template_id: int) -> HttpResponse:
    from consent.models import ConsentTemplate, Subject

    partner = get_partner_for_user(request.user, public_id)
    template = get_for_user(
        ConsentTemplate.objects.filter(subject=Subject.PARTNER, is_current=True),
        request.user,
        pk=template_id,
    )
    audit_record(request, AuditEvent.Action.VIEW, partner, what="consent form")
    with translation.override(partner.language):
        return render(
            request,
            "consent/print.html",
            {
                "person": partner.full_name,
                "template": template,
                "organisation": partner.organisation,
                "back": reverse("partners:detail", args=[partner.public_id]),
                "language": partner.language,
            },
        )


@area_required(Area.PARTNERS)
def edit(request: HttpRequest, public_id) -> HttpResponse:
    partner = get_partner_for_user(request.user, public_id)
    form = PartnerForm(
        request.POST or None, instance=partner, organisation=request.user.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(partner=partner, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The details have been saved."))
            return redirect("partners:detail", public_id=partner.public_id)
    audit_record(request, AuditEvent.Action.VIEW, partner, what="details form")
    return render(request, "partners/form.html", {"form": form, "partner": partner})


def _checkin_initial(partner) -> dict:
    """A new check-in starts at today and at her current level (unknown stays unknown)."""
    return {"on": timezone.localdate(), "risk_level_after": partner.risk_level or ""}


def _back(partner):
    return redirect("partners:detail", public_id=partner.public_id)


def _report(request, form, error=None):
    if error is not None:
        add_service_errors(form, error)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


def _write(request, public_id, form_class, action, success, form_kwargs=None):
    """The shape every small form on the partner page shares: find her (or 404), validate,
    call the service (which audits the change), and go back to her page with a message."""
    partner = get_partner_for_user(request.user, public_id)
    form = form_class(request.POST, **(form_kwargs or {}))
    if not form.is_valid():
        _report(request, form)
        return _back(partner)
    try:
        action(partner, form.cleaned_data)
    except ValidationError as error:
        _report(request, form, error)
    else:
        messages.success(request, success)
    return _back(partner)


@require_POST
@area_required(Area.PARTNERS)
def add_attempt(request: HttpRequest, public_id) -> HttpResponse:
    return _write(
        request,
        public_id,
        ContactAttemptForm,
        lambda partner, data: services.contact_attempt_record(
            partner=partner, by=request.user, **data
        ),
        _("Contact attempt recorded."),
    )


def _refused(form, error: ValidationError, rebuild):
    """Show the service's refusal on the form. A refused lowering of her risk comes back with
    the confirmation and the reason to fill in, and with everything that was typed."""
    lowering = {"confirm_lower", "lower_reason"} & set(getattr(error, "error_dict", {}))
    if lowering and "confirm_lower" not in form.fields:
        form = rebuild()
        form.is_valid()
    add_service_errors(form, error)
    return form


@require_http_methods(["GET", "POST"])
@area_required(Area.PARTNERS)
def assess_risk(request: HttpRequest, public_id) -> HttpResponse:
    """The risk checklist, from her page or on a page of its own. An assessment that cannot be
    saved (nothing asked, a lowering not confirmed) comes back here with every answer given."""
    partner = get_partner_for_user(request.user, public_id)
    checklist = _checklist(request.user)
    if checklist is None:
        raise Http404
    if request.method == "POST":
        form = RiskForm(request.POST, checklist=checklist)
        if form.is_valid():
            try:
                services.risk_assess(
                    partner=partner,
                    by=request.user,
                    checklist=checklist,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                form = _refused(
                    form,
                    error,
                    lambda: RiskForm(request.POST, checklist=checklist, confirm=True),
                )
            else:
                messages.success(request, _("Risk assessment recorded."))
                return _back(partner)
    else:
        form = RiskForm(checklist=checklist, initial={"assessed_on": timezone.localdate()})
    audit_record(request, AuditEvent.Action.VIEW, partner, what="risk form")
    return render(
        request,
        "partners/risk.html",
        {"partner": partner, "form": form, "checklist": checklist},
    )


@require_POST
@area_required(Area.PARTNERS)
def save_plan(request: HttpRequest, public_id) -> HttpResponse:
    return _write(
        request,
        public_id,
        SafetyPlanForm,
        lambda partner, data: services.safety_plan_save(
            partner=partner, by=request.user, review_on=data.pop("review_on"), sections=data
        ),
        _("Safety plan saved as a new version."),
    )


@require_http_methods(["GET", "POST"])
@area_required(Area.PARTNERS)
def add_checkin(request: HttpRequest, public_id) -> HttpResponse:
    """The check-in form on a page of its own (a phone, on a call with her). Sent from there or
    from her page, a check-in that cannot be saved comes back here with what was typed and the
    reason beside each field: what she said is never lost to a mistyped date."""
    partner = get_partner_for_user(request.user, public_id)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            key = data.pop("submission_key")
            confirm = data.pop("confirm_lower", False)
            reason = data.pop("lower_reason", "")
            try:
                services.checkin_record(
                    partner=partner,
                    by=request.user,
                    data=data,
                    submission_key=key,
                    confirm_lower=confirm,
                    lower_reason=reason,
                )
            except ValidationError as error:
                form = _refused(form, error, lambda: CheckInForm(request.POST, confirm=True))
            else:
                messages.success(request, _("Check-in recorded."))
                return _back(partner)
    else:
        form = CheckInForm(initial=_checkin_initial(partner))
    audit_record(request, AuditEvent.Action.VIEW, partner, what="check-in form")
    return render(request, "partners/checkin.html", {"partner": partner, "form": form})


@require_POST
@area_required(Area.PARTNERS)
def update_marac(request: HttpRequest, public_id, referral_id: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, public_id)
    try:
        referral = partner.marac.get(pk=referral_id)
    except MaracReferral.DoesNotExist:
        raise Http404 from None
    form = MaracForm(request.POST)
    if form.is_valid():
        try:
            services.marac_update(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _report(request, form, error)
        else:
            messages.success(request, _("MARAC referral updated."))
    else:
        _report(request, form)
    return _back(partner)


@require_POST
@area_required(Area.PARTNERS)
def task_done(request: HttpRequest, public_id, task_id: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, public_id)
    try:
        task = partner.tasks.get(pk=task_id)
    except PartnerTask.DoesNotExist:
        raise Http404 from None
    services.partner_task_done(task=task, by=request.user)
    messages.success(request, _("Task done."))
    return _back(partner)
