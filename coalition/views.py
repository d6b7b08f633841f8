"""The coalition's pages, for its analysts: anonymous figures across the member organisations.

An analyst belongs to a coalition and to no organisation: every organisation-scoped queryset is
empty for them, and these pages read only the members' nightly snapshots."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dvpp.access import Area, area_required
from dvpp.audit import audit_event
from dvpp.models import AuditEvent
from dvpp.reauth import reauthentication_required

from . import exports, figures


class PeriodForm(forms.Form):
    # Whole years and quarters only: free dates would let two nested periods be subtracted.
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = figures.period_choices()

    def chosen(self) -> str:
        return self.cleaned_data.get("period", "") if self.is_valid() else ""


def _figures(request):
    form = PeriodForm(request.GET or None)
    return form, figures.build(request.user.coalition, period=form.chosen())


@area_required(Area.COALITION)
def index(request: HttpRequest) -> HttpResponse:
    form, built = _figures(request)
    total = [row for row in built.rows if row.section == "women" and not row.cells[-1].hidden]
    chart = {
        "measures": [row.label for row in total if row.cells[-1].n],
        "before": [
            round(100 * r.cells[-1].numerator / r.cells[-1].n) for r in total if r.cells[-1].n
        ],
        "after": [round(100 * r.cells[-1].extra / r.cells[-1].n) for r in total if r.cells[-1].n],
        "labels": {"before": str(_("Before")), "after": str(_("After"))},
        "months": [],
        "referrals": [],
        "referrals_label": "",
    }
    return render(
        request,
        "coalition/index.html",
        {
            "form": form,
            "figures": built,
            "heading": exports.heading(built),
            "tables": exports.tables(built),
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )


@area_required(Area.COALITION)
@reauthentication_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The figures as CSV, XLSX or PDF in the language asked for; re-authenticated, audited."""
    language = request.GET.get("lang") or translation.get_language()
    if language not in {"en", "ru"} or fmt not in {"csv", "xlsx", "pdf"}:
        raise Http404
    with translation.override(language):
        _form, built = _figures(request)
        if built.too_few:
            raise Http404
        body = getattr(exports, f"to_{fmt}")(built)
    kinds = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    audit_event(
        request,
        AuditEvent.Action.EXPORT,
        "dvpp.coalition",
        request.user.coalition_id,
        what=f"coalition figures ({fmt}, {language}, {built.period or 'all'})",
    )
    response = HttpResponse(body, content_type=kinds[fmt])
    slug = request.user.coalition.slug
    response["Content-Disposition"] = f'attachment; filename="{slug}-figures.{fmt}"'
    return response
