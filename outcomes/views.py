import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
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
from .forms import FilterForm, ResponseForm
from .models import Instrument, OutcomeSnapshot, Wave


def _filters(request):
    """The filter form, bound when the address chooses any filter; a filter it leaves out keeps
    its default (an address with only ``lang`` is the default table)."""
    chosen = {key: request.GET[key] for key in FilterForm.base_fields if key in request.GET}
    data = {**FilterForm.DEFAULTS, **chosen} if chosen else None
    form = FilterForm(data, organisation=request.user.organisation)
    return form, form.filters()


def charts(rows, programme: dict) -> dict:
    """What the dashboard's charts draw, in the active language: their titles, the months as
    the language names them (every month of the period, none left out) and the locale their
    numbers are written in."""
    months = [
        formats.date_format(datetime.date.fromisoformat(item["month"] + "-01"), "M Y")
        for item in programme["referrals_by_month"]
    ]
    return {
        "locale": translation.to_locale(translation.get_language() or "en").replace("_", "-"),
        "measures": [row.label for row in rows if not row.suppressed],
        "before": [row.before for row in rows if not row.suppressed],
        "after": [row.after for row in rows if not row.suppressed],
        "labels": {"before": _("Before"), "after": _("After")},
        "paired_title": _("Before and after: per cent of those who answered both times"),
        "months": months,
        "referrals": [item["count"] for item in programme["referrals_by_month"]],
        "referrals_label": _("Referrals"),
        "referrals_title": _("Referrals by month"),
    }


@area_required(Area.OUTCOMES)
def index(request: HttpRequest) -> HttpResponse:
    """The managers' dashboard: the paired before/after table and the programme figures."""
    form, filters = _filters(request)
    organisation = request.user.organisation
    if form.is_bound and not form.is_valid():
        # A refused choice (an after wave before the before wave) shows why, never a table
        # for other filters than those asked for.
        return render(
            request,
            "outcomes/index.html",
            {"form": form, "refused": True, "min_cell": organisation.min_cell_size},
        )
    rows = figures.paired_table(organisation, filters)
    programme = figures.programme_figures(organisation, filters)
    chart = charts(rows, programme)
    return render(
        request,
        "outcomes/index.html",
        {
            "form": form,
            "rows": rows,
            "programme": programme,
            "chart": chart,
            "min_cell": organisation.min_cell_size,
            "snapshot": OutcomeSnapshot.objects.filter(organisation=organisation).first(),
            "query": request.GET.urlencode(),
        },
    )


@area_required(Area.OUTCOMES)
@reauthentication_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's tables as CSV, XLSX or a PDF report, in the language asked for.

    A file leaves the system: the password (or a code) is asked again, and the export is
    audited."""
    form, filters = _filters(request)
    organisation = request.user.organisation
    if form.is_bound and not form.is_valid():
        # The dashboard with the same choices says what is wrong with them.
        query = request.GET.copy()
        query.pop("lang", None)
        return redirect(reverse("outcomes:index") + "?" + query.urlencode())
    language = request.GET.get("lang") or translation.get_language()
    if language not in {"en", "ru"}:
        raise Http404
    with translation.override(language):
        rows = figures.paired_table(organisation, filters)
        programme = figures.programme_figures(organisation, filters)
        stamp = timezone.localdate().isoformat()
        if fmt == "csv":
            body, kind = exports.to_csv(rows), "text/csv; charset=utf-8"
        elif fmt == "xlsx":
            body = exports.to_xlsx(rows, programme)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif fmt == "pdf":
            subtitle = _("%(organisation)s · %(before)s → %(after)s · made %(date)s") % {
                "organisation": organisation.name,
                "before": dict(form.fields["wave_from"].choices)[filters.wave_from],
                "after": dict(form.fields["wave_to"].choices)[filters.wave_to],
                "date": stamp,
            }
            body = exports.to_pdf(rows, programme, title=_("Outcomes report"), subtitle=subtitle)
            kind = "application/pdf"
        else:
            raise Http404
    audit_event(
        request,
        AuditEvent.Action.EXPORT,
        "outcomes.table",
        fmt,
        what=f"outcome tables ({fmt}, {language})",
    )
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="outcomes-{stamp}.{fmt}"'
    return response


def _survey(request, instrument, person_url, *, audited, **person):
    """The survey form. Showing it is a read of ``audited`` (her record, or his case); a saved
    response is a new record on it (audited by ``response_record``)."""
    form = ResponseForm(
        request.POST or None, instrument=instrument, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_record(
                instrument=instrument,
                wave=form.cleaned_data["wave"],
                answered_on=form.cleaned_data["answered_on"],
                answers=form.answers(),
                by=request.user,
                submission_key=form.cleaned_data["submission_key"],
                **person,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        (f"q_{k}" if f"q_{k}" in form.fields else k): v
                        for k, v in error.error_dict.items()
                    }
                )
            add_service_errors(form, error)
        else:
            # The form speaks the person's language; the member of staff reads their own.
            with translation.override(request.LANGUAGE_CODE):
                messages.success(request, _("Survey response recorded."))
            return redirect(person_url)
    audit_record(request, AuditEvent.Action.VIEW, audited, what=f"survey form ({instrument.code})")
    return render(
        request,
        "outcomes/survey.html",
        {"form": form, "instrument": instrument, "back": person_url},
    )


def _instrument(request, code: str, subject: str) -> Instrument:
    instrument = (
        Instrument.objects.filter(
            organisation_id=request.user.organisation_id,
            code=code,
            subject=subject,
            is_current=True,
        )
        .order_by("-version")
        .prefetch_related("questions")
        .first()
    )
    if instrument is None:
        raise Http404
    return instrument


@area_required(Area.PARTNERS)
def partner_survey(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """A partner survey, entered by her support worker in her language. Behind the wall."""
    partner = get_partner_for_user(request.user, public_id)
    with translation.override(partner.language):
        return _survey(
            request,
            _instrument(request, code, "partner"),
            reverse("partners:detail", args=[partner.public_id]),
            audited=partner,
            participant=partner.participant,
            partner=partner,
        )


@area_required(Area.CASE_WORK)
def man_survey(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """The men's self-report survey, in his language."""
    participant = get_participant_for_user(request.user, public_id)
    with translation.override(participant.preferred_language):
        return _survey(
            request,
            _instrument(request, code, "man"),
            reverse("participants:detail", args=[participant.public_id]),
            audited=participant,
            participant=participant,
        )


def _import(request: HttpRequest, subject: str) -> HttpResponse:
    # The import audits what it imported (one event for the file).
    form, report = run_import(request, importing.import_surveys, subject=subject)
    instruments = Instrument.objects.filter(
        organisation_id=request.user.organisation_id, subject=subject, is_current=True
    ).prefetch_related("questions")
    return render(
        request,
        "outcomes/import.html",
        {
            "form": form,
            "report": report,
            "instruments": instruments,
            "subject": subject,
            "waves": Wave.values,
        },
    )


@area_required(Area.PARTNERS)
def import_partner_surveys(request: HttpRequest) -> HttpResponse:
    """Partner surveys collected on paper: imported by partner support only (the wall)."""
    return _import(request, "partner")


@area_required(Area.CASE_IMPORT)
def import_men_surveys(request: HttpRequest) -> HttpResponse:
    return _import(request, "man")
