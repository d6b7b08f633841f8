"""The pages that answer a person's requests about their data — the subject-access package,
the log of requests, the erasure — one set for a man and for a partner, parametrised by whose
data it is (a :class:`dvpp.subject_access.DataSubject`, described by the app that holds the
person).

The URLs and their names stay those of the person's side: ``participants:subject_access`` under
his case (added to the case's URLs through ``dvpp.hooks.urls``), ``partners:subject_access``
under her record (behind the wall, routed by ``partners.urls``). Each page checks the subject's
area first (managers for his, partner support workers only for hers), then finds the person for
the user (404 for another organisation's, or across the wall), then asks for the password again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvpp.access import area_required
from dvpp.audit import audit_record
from dvpp.forms import ErasureConfirmForm, add_service_errors
from dvpp.models import AuditEvent
from dvpp.reauth import require_recent_authentication
from dvpp.subject_access import DataSubject, package_response

from .forms import SubjectRequestForm
from .models import SubjectRequest
from .services import subject_request_log, subject_requests_answered

Action = AuditEvent.Action


def _detail(whose: DataSubject, person) -> HttpResponse:
    return redirect(f"{whose.namespace}:detail", public_id=person.public_id)


def _report(request, form, error=None) -> None:
    if error is not None:
        add_service_errors(form, error)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


def requests_context(whose: DataSubject, person) -> dict:
    """The person's requests about their data, and the form to log one."""
    return {
        "requests": list(SubjectRequest.objects.filter(**{whose.context_name: person})),
        "request_form": SubjectRequestForm(),
        "request_url": reverse(f"{whose.namespace}:log_request", args=[person.public_id]),
    }


def subject_access(request: HttpRequest, public_id, *, whose: DataSubject) -> HttpResponse:
    """The person's subject-access package: a page saying what it holds; its POST downloads
    the ZIP and answers their open requests for a copy."""
    person = whose.find(request.user, public_id)
    # Asked after the person is found: another organisation's is a 404, not a password.
    if (confirm := require_recent_authentication(request)) is not None:
        return confirm
    if request.method == "POST":
        content = whose.package(person)
        audit_record(request, Action.SUBJECT_ACCESS, person)
        subject_requests_answered(person=person, kind="access", by=request.user)
        return package_response(content, name=whose.package_name(person))
    if whose.audit_reads:
        audit_record(request, Action.VIEW, person, what="subject access")
    return render(
        request,
        whose.templates[0],
        {whose.context_name: person, **requests_context(whose, person)},
    )


def log_request(request: HttpRequest, public_id, *, whose: DataSubject) -> HttpResponse:
    """Log the person's request about their data, with its legal deadline (POST only: see
    :func:`subject_urls`)."""
    person = whose.find(request.user, public_id)
    if (confirm := require_recent_authentication(request)) is not None:
        return confirm
    form = SubjectRequestForm(request.POST)
    if not form.is_valid():
        _report(request, form)
    else:
        try:
            logged = subject_request_log(
                person=person,
                kind=form.cleaned_data["kind"],
                received_on=form.cleaned_data["received_on"],
                by=request.user,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            _report(request, form, error)
        else:
            messages.success(
                request,
                _("The request is logged. The answer is due by %(date)s.")
                % {"date": formats.date_format(logged.due_on, "DATE_FORMAT")},
            )
    return redirect(f"{whose.namespace}:subject_access", public_id=person.public_id)


def erase(request: HttpRequest, public_id, *, whose: DataSubject) -> HttpResponse:
    """Erase the person's record at their request, where their side's rule allows it; the
    erasure answers their open requests for erasure."""
    person = whose.find(request.user, public_id)
    if (confirm := require_recent_authentication(request)) is not None:
        return confirm
    form = ErasureConfirmForm(request.POST or None, expected=whose.erasure_code(person))
    if request.method == "POST" and form.is_valid():
        try:
            whose.erase(person, request.user)
            subject_requests_answered(person=person, kind="erasure", by=request.user)
        except ValidationError as error:
            audit_record(request, Action.REFUSED, person, what="erase")
            add_service_errors(form, error)
        else:
            messages.success(request, whose.erased_message(person))
            return _detail(whose, person)
    elif whose.audit_reads:
        audit_record(request, Action.VIEW, person, what="erase")
    return render(
        request,
        whose.templates[1],
        {whose.context_name: person, "form": form, "refusal": whose.erasure_refusal(person)},
    )


def subject_urls(whose: DataSubject) -> list:
    """The three pages under the person's own URL (``<uuid:public_id>/…``), named as before in
    their side's namespace, each open only to the subject's area."""
    guard = area_required(whose.area)
    kwargs = {"whose": whose}
    return [
        path(
            "<uuid:public_id>/subject-access/",
            guard(subject_access),
            kwargs,
            name="subject_access",
        ),
        path(
            "<uuid:public_id>/subject-access/requests/",
            # A GET is refused before anything else, as before: 405 for everyone.
            require_POST(guard(log_request)),
            kwargs,
            name="log_request",
        ),
        path("<uuid:public_id>/erase/", guard(erase), kwargs, name="erase"),
    ]


def case_urls(*, namespace: str) -> list:
    """The receiver of ``hooks.urls``: his pages under his case (``/cases/``)."""
    if namespace != "participants":
        return []
    from participants.data_subject import MAN

    return subject_urls(MAN)
