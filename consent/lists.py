"""The organisation's data-protection lists (for managers): open cases without a valid
consent, and men's requests about their data near their legal deadline."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from dvpp.access import Area, area_required

from . import selectors

PAGE_SIZE = 25


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@area_required(Area.SUBJECT_ACCESS)
def missing_consent(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_without_valid_consent(user=request.user)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consent/missing_consent.html", {"page": page, "query": _query(request)})


@area_required(Area.SUBJECT_ACCESS)
def requests_due(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_near_deadline(user=request.user)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consent/requests_due.html",
        {
            "page": page,
            "query": _query(request),
            "days": selectors.NEAR_DEADLINE_DAYS,
            "today": timezone.localdate(),
        },
    )


app_name = "data_protection"

urlpatterns = [
    path("missing-consent/", missing_consent, name="missing_consent"),
    path("requests/", requests_due, name="requests_due"),
]
