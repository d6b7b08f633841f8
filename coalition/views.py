"""The coalition's pages, for its analysts: anonymous figures across the member organisations."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dvpp.access import Area, area_required


@area_required(Area.COALITION)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/index.html", {"coalition": request.user.coalition})


@area_required(Area.COALITION)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    raise NotImplementedError
