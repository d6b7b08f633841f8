from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dvpp.access import Area, area_required


@area_required(Area.GROUPS)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "group_sessions/index.html")
