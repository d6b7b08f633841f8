import contextvars
import logging
import re
import time
import uuid
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .origin import origin

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def _admin_path() -> str:
    return reverse("admin:index")  # resolved per request: a test may swap the URLconf


class OrganisationTimezoneMiddleware:
    """Show dates and times in the signed-in user's organisation's time zone, for this request
    only: the zone is put back afterwards, so nothing that runs next in the same thread (the next
    request, a test) inherits it. A streamed response decides its zone in the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        organisation = getattr(request.user, "organisation", None)
        zone = zoneinfo.ZoneInfo(organisation.time_zone) if organisation is not None else None
        with timezone.override(zone):
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """The browser features this site never uses are switched off for every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class IdleTimeoutMiddleware:
    """End a signed-in session after a period without activity (``SESSION_IDLE_MINUTES``).

    The absolute limit is ``SESSION_COOKIE_AGE``; sessions also end when the browser closes.
    A form posted just after the limit is not lost: what was typed is kept in the (new,
    signed-out) session for the same user, who is offered to send it after signing in again
    (:class:`KeptFormMiddleware`)."""

    KEY = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            limit = settings.SESSION_IDLE_MINUTES * 60
            last = request.session.get(self.KEY, now)
            if now - last > limit:
                kept = _typed_form(request)
                user = request.user
                user_pk = user.pk
                from .audit import audit_event
                from .models import AuditEvent

                audit_event(
                    request,
                    AuditEvent.Action.SESSION_ENDED,
                    "dvpp.user",
                    user_pk,
                    what="form kept" if kept else "",
                    user=user,
                )
                logout(request)
                if kept is not None:
                    request.session[KeptFormMiddleware.KEY] = {
                        "user": user_pk,
                        "path": request.path,
                        "back": _same_site_referer(request),
                        "data": kept,
                        "at": now,
                    }
                    messages.info(
                        request,
                        _(
                            "You were signed out after a period without activity. What you "
                            "typed has been kept: sign in again to send it."
                        ),
                    )
                else:
                    messages.info(
                        request, _("You were signed out after a period without activity.")
                    )
            elif now - last >= min(60, limit / 2):
                # At most one session write a minute: enough precision, no write per page.
                request.session[self.KEY] = now
        return self.get_response(request)


# Never kept: sign-in and account pages (passwords, codes), the admin site, and everything
# about a partner (the session table is not encrypted, and her words must not sit in it).
NOT_KEPT_PATHS = ("/accounts/", "/admin/", "/partners/", "/outcomes/")
SECRET_FIELDS = ("password", "code", "token")


def _typed_form(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The fields of an ordinary form post (no files, not htmx), without its CSRF token."""
    if request.method != "POST" or request.htmx or request.FILES:
        return None
    if request.path.startswith(NOT_KEPT_PATHS):
        return None
    data = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken" and not any(s in name.lower() for s in SECRET_FIELDS)
        for value in values
    ]
    return data or None


def _same_site_referer(request: HttpRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return ""


class KeptFormMiddleware:
    """After signing in again, offer to send the form that the idle sign-out interrupted.

    Only to the same user, only on the page the form was posted to, and only within the hour;
    anyone else signing in on that browser never sees it (it is dropped)."""

    KEY = "kept_form"
    KEEP_SECONDS = 60 * 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kept = request.session.get(self.KEY) if hasattr(request, "session") else None
        if kept and request.user.is_authenticated:
            stale = time.time() - kept["at"] > self.KEEP_SECONDS
            if kept["user"] != request.user.pk or stale:
                del request.session[self.KEY]
            elif request.method == "GET" and request.path == kept["path"]:
                del request.session[self.KEY]
                from django.shortcuts import render

                response = render(
                    request,
                    "registration/kept_form.html",
                    {"path": kept["path"], "back": kept.get("back") or "/", "data": kept["data"]},
                )
                response["Cache-Control"] = "no-store"
                return response
        return self.get_response(request)


def mark_session_start(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: the idle clock starts at sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[IdleTimeoutMiddleware.KEY] = int(time.time())


class RequestIdMiddleware:
    """Give every request an id, sent back as ``X-Request-ID`` and written to the audit log and
    to log lines, so that a user's report ("it failed at 10:02") leads to the right entries.

    An id sent in the same header by the proxy in front is kept (hexadecimal, 8 to 32
    characters) only with ``TRUST_REQUEST_ID_HEADER`` on; a browser cannot choose its id."""

    HEADER = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = settings.TRUST_REQUEST_ID_HEADER and re.fullmatch(r"[0-9a-f]{8,32}", offered)
        request.request_id = offered if trusted else uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        address = request.META.get("REMOTE_ADDR") or None
        via = "admin" if request.path.startswith(_admin_path()) else "web"
        try:
            # A change a service makes while answering is recorded as made from this page.
            with origin(via, ip=address, request_id=request.request_id):
                response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[self.HEADER] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class ForgedOrganisationMiddleware:
    """A form posted with an organisation id other than the user's own is refused whole, and
    audited: no page of this site asks staff for one, so it can only be forged. (Records are
    always put in the user's own organisation anyway; this makes the attempt visible.)
    Installation superusers, who have no organisation, manage several in the admin site."""

    FIELDS = ("organisation", "organisation_id")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.method == "POST"
            and user.is_authenticated
            and user.organisation_id is not None
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            own = str(user.organisation_id)
            forged = [
                value
                for name in self.FIELDS
                for value in request.POST.getlist(name)
                if value and value != own
            ]
            if forged:
                from django.shortcuts import render

                from .audit import audit_event
                from .models import AuditEvent

                audit_event(
                    request,
                    AuditEvent.Action.REFUSED,
                    "request",
                    request.path[:64],
                    what="another organisation's id",
                )
                return render(request, "400_forged.html", status=400)
        return self.get_response(request)
