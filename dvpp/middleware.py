import zoneinfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class OrganisationTimezoneMiddleware:
    """Show dates and times in the signed-in user's organisation's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        organisation = getattr(request.user, "organisation", None)
        if organisation is not None:
            timezone.activate(zoneinfo.ZoneInfo(organisation.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
