from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dvpp.models import Organisation


@login_required
def trivial(request: HttpRequest) -> HttpResponse:
    """The stack's floor: the same middleware and sign-in as every page, one query by primary
    key, and a template of one line."""
    name = Organisation.objects.values_list("name", flat=True).get(pk=request.user.organisation_id)
    return render(request, "benchmarks/trivial.html", {"name": name})
