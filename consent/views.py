"""A man's consents, on his case: record one, withdraw one, print the form to sign.

A partner's consents are on her record, behind the wall (``partners.views``). The pages that
answer a person's requests about their data are in ``consent.subject_pages``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvpp.access import Area, area_required, get_for_user
from dvpp.audit import audit_record
from dvpp.forms import add_service_errors
from dvpp.models import AuditEvent
from participants.access import get_participant_for_user

from . import services
from .forms import ConsentForm, WithdrawalForm
from .models import ConsentTemplate, ManConsent, Subject


def _case_url(participant) -> str:
    return reverse("participants:detail", args=[participant.public_id])


def _report(request, form, error=None) -> None:
    if error is not None:
        add_service_errors(form, error)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


def give_consent(request, person, *, subject: Subject, give, back: str) -> HttpResponse:
    """The POST that records a consent, for a man (``give`` = man_consent_give) or a partner
    (partner_consent_give): validate, record (the service audits it), go back."""
    form = ConsentForm(
        request.POST, templates=services.current_templates(person.organisation_id, subject)
    )
    if form.is_valid():
        field = "participant" if subject == Subject.MAN else "partner"
        try:
            give(
                **{field: person},
                template=form.cleaned_data["template"],
                given_on=form.cleaned_data["given_on"],
                how=form.cleaned_data["how"],
                by=request.user,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            _report(request, form, error)
        else:
            messages.success(request, _("Consent recorded."))
    else:
        _report(request, form)
    return redirect(f"{back}#consents")


def withdraw_consent(request, person, record, *, withdraw, back: str) -> HttpResponse:
    """The POST that records a withdrawal (``withdraw``: the man's or the partner's service)."""
    form = WithdrawalForm(request.POST)
    if form.is_valid():
        try:
            withdraw(
                record=record,
                on=form.cleaned_data["withdrawn_on"],
                how=form.cleaned_data["withdrawal_how"],
                by=request.user,
            )
        except ValidationError as error:
            _report(request, form, error)
        else:
            messages.success(request, _("The withdrawal is recorded."))
    else:
        _report(request, form)
    return redirect(f"{back}#consents")


@require_POST
@area_required(Area.CASE_WORK)
def add(request: HttpRequest, public_id) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    return give_consent(
        request,
        participant,
        subject=Subject.MAN,
        give=services.man_consent_give,
        back=_case_url(participant),
    )


@require_POST
@area_required(Area.CASE_WORK)
def withdraw(request: HttpRequest, public_id, consent_id: int) -> HttpResponse:
    participant = get_participant_for_user(request.user, public_id)
    record = get_for_user(
        ManConsent.objects.filter(participant=participant).select_related("template"),
        request.user,
        pk=consent_id,
    )
    return withdraw_consent(
        request,
        participant,
        record,
        withdraw=services.man_consent_withdraw,
        back=_case_url(participant),
    )


@area_required(Area.CASE_WORK)
def print_form(request: HttpRequest, public_id, template_id: int) -> HttpResponse:
    """The consent form to read out or sign, in his language, with his name filled in."""
    participant = get_participant_for_user(request.user, public_id)
    template = get_for_user(
        ConsentTemplate.objects.filter(subject=Subject.MAN), request.user, pk=template_id
    )
    if not template.is_current:
        raise Http404
    audit_record(request, AuditEvent.Action.VIEW, participant, what="consent form")
    with translation.override(participant.preferred_language):
        return render(
            request,
            "consent/print.html",
            {
                "person": participant.full_name,
                "template": template,
                "organisation": participant.organisation,
                "back": _case_url(participant),
                "language": participant.preferred_language,
            },
        )
