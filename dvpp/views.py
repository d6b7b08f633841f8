import csv
import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import hooks
from .access import (
    Area,
    area_required,
    get_for_user,
    user_areas,
    user_can,
)
from .audit import audit_event, describe_events
from .forms import AuditFilterForm
from .home import STAFF_SHOWS, home_cards, staff
from .home import failed_notifications as failed_notifications_of
from .models import AuditEvent, Role, User
from .reauth import reauthentication_required

logger = logging.getLogger(__name__)

HOME_TEMPLATES = {
    Role.FACILITATOR: "dvpp/home_facilitator.html",
    Role.PARTNER_SUPPORT: "dvpp/home_partner_support.html",
    Role.MANAGER: "dvpp/home_manager.html",
    Role.ADMINISTRATOR: "dvpp/home_administrator.html",
    Role.COALITION_ANALYST: "dvpp/home_coalition_analyst.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts on its own home page; a user without a role is told to ask for one."""
    template = HOME_TEMPLATES.get(request.user.role, "dvpp/home_no_role.html")
    cards = home_cards(request.user) if user_areas(request.user) else []
    # Names shown on a card are read as on the list they come from (a partner's are audited).
    for object_type in sorted({card.audit_as for card in cards if card.audit_as and card.items}):
        audit_event(request, AuditEvent.Action.VIEW, object_type, "home")
    return render(request, template, {"areas": user_areas(request.user), "cards": cards})


@area_required(Area.STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    """The organisation's staff, or (``show``) those without two-factor sign-in or locked out:
    the lists of the administrator's home cards."""
    show = request.GET.get("show", "")
    if show not in STAFF_SHOWS:
        show = ""
    page = Paginator(staff(request.user, show=show), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dvpp/staff_list.html",
        {"page": page, "show": show, "query": query.urlencode()},
    )


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database cannot be reached")
        return "error"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "not configured (tasks run in-process)"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError:
        logger.warning("Health check: the broker cannot be reached")
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers, 503 when it does not; the broker's state is reported.

    A broker outage leaves the web working (background work waits in the database), so it does
    not make the service unhealthy on its own.
    """
    database = _database_status()
    status = 200 if database == "ok" else 503
    body = {"database": database, "broker": _broker_status()}
    if database == "ok":
        body["last_nightly_run_hours"] = _last_nightly_run_hours()
    return JsonResponse(body, status=status)


def _last_nightly_run_hours() -> float | None:
    """Hours since the nightly report last finished (None: it never has). Over 24 means the
    nightly jobs are not running: check celery beat and the worker."""
    from .models import JobRun

    run = JobRun.objects.filter(name="nightly_outcome_report").first()
    if run is None:
        return None
    return round((timezone.now() - run.finished_at).total_seconds() / 3600, 1)


@area_required(Area.STAFF)
def failed_notifications(request: HttpRequest) -> HttpResponse:
    """Messages that could not be sent after every retry, for staff to act on."""
    from .notifications import retry_failed

    failed = failed_notifications_of(request.user)
    if request.method == "POST":
        retry = request.POST.get("retry", "")
        if not retry.isdigit():
            raise Http404
        notification = get_for_user(failed, request.user, pk=int(retry))
        retry_failed(notification)
        messages.success(request, _("The message will be sent again."))
        return redirect("failed_notifications")
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    return render(request, "dvpp/failed_notifications.html", {"failed": page, "page": page})


def _audit_events(user: User, criteria: dict):
    """The organisation's audit events matching the search (see AuditFilterForm)."""
    from .models import AuditEvent

    events = AuditEvent.objects.filter(organisation_id=user.organisation_id)
    if not user_can(user, Area.PARTNERS):
        # Nothing of the partner support service's records, not even that one was read, erased
        # or asked about: the events' dates and neighbours would tell whose partner she is.
        events = events.exclude(object_type__startswith="partners.")
    if "person" in criteria:
        events = events.filter(object_id=_audit_subject(user, criteria["person"]))
    if "user" in criteria:
        events = events.filter(user=criteria["user"])
    if "action" in criteria:
        events = events.filter(action=criteria["action"])
    if "date_from" in criteria:
        events = events.filter(at__date__gte=criteria["date_from"])
    if "date_to" in criteria:
        events = events.filter(at__date__lte=criteria["date_to"])
    return events.select_related("user")


def _audit_subject(user: User, person: str) -> str:
    """A case reference of the user's organisation stands for that man's public id, the id his
    events are recorded under; anything else is searched for as a record id as it is.

    A partner's record is found only by her public id: her support worker has it, and nothing
    on the man's side leads to it."""
    person = person.strip()
    found = hooks.audit_subject.call(organisation_id=user.organisation_id, text=person)
    return str(found[0]) if found else person


def _audit_search_summary(user: User, criteria: dict) -> str:
    """The search, for the export's own audit event: ids, codes and dates only. Free text
    typed into the person field (a name, by mistake) is not repeated into the log."""
    parts = []
    if "person" in criteria:
        subject = _audit_subject(user, criteria["person"])
        parts.append(f"record={subject}" if _is_record_id(subject) else "record=(text)")
    if "user" in criteria:
        parts.append(f"user={criteria['user'].pk}")
    for name in ("action", "date_from", "date_to"):
        if name in criteria:
            parts.append(f"{name}={criteria[name]}")
    return "audit log: " + (" ".join(parts) or "everything")


def _is_record_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return value.isdigit()
    return True


@area_required(Area.AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The organisation's audit log for managers: who did what to which record, when, from
    where and in which request, in words of the reader's language, each event linked to the
    page it concerns; searchable by person, user, dates and action."""
    form = AuditFilterForm(request.GET, organisation_id=request.user.organisation_id)
    criteria = form.criteria()
    page = Paginator(_audit_events(request.user, criteria), 50).get_page(request.GET.get("page"))
    described = describe_events(page.object_list, viewer=request.user)
    for event in page:
        event.description, event.link = described[event.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dvpp/audit_log.html",
        {"page": page, "form": form, "query": query.urlencode()},
    )


class _Echo:
    """A file-like object that hands back what is written: lets csv.writer feed a stream."""

    def write(self, value: str) -> str:
        return value


@area_required(Area.AUDIT)
@reauthentication_required
def audit_log_export(request: HttpRequest) -> StreamingHttpResponse:
    """The audit log as it is searched, as CSV. Asks for the password again; audited itself.

    Streamed, a thousand rows per query, so a long log neither fills the memory nor makes a
    query per row. Cells that a spreadsheet would run as a formula are neutralised."""
    from .models import AuditEvent
    from .spreadsheets import safe_cell

    form = AuditFilterForm(request.GET, organisation_id=request.user.organisation_id)
    criteria = form.criteria()
    audit_event(
        request,
        AuditEvent.Action.EXPORT,
        "dvpp.auditevent",
        "csv",
        what=_audit_search_summary(request.user, criteria),
    )
    events = _audit_events(request.user, criteria).iterator(chunk_size=1000)
    # Decided now, in the request's language and time zone, not while the file streams out.
    labels = {value: str(label) for value, label in AuditEvent.Action.choices}
    zone = timezone.get_current_timezone()
    language = translation.get_language()
    viewer = request.user
    header = [
        _("When"),
        _("User"),
        _("Action"),
        _("What happened"),
        _("Page"),
        _("Record"),
        _("Record id"),
        _("From"),
        _("Request id"),
        # What made the change: web, admin, command:<name>, task:<name>, system.
        _("Through"),
    ]
    header = [str(cell) for cell in header]

    def rows(chunk):
        # Worded as on the page, a thousand events at a time (a few queries per thousand).
        with translation.override(language):
            described = describe_events(chunk, viewer=viewer)
            for event in chunk:
                text, link = described[event.pk]
                row = [
                    timezone.localtime(event.at, zone).isoformat(timespec="seconds"),
                    event.user.get_username() if event.user else "",
                    labels.get(event.action, event.action),
                    text,
                    request.build_absolute_uri(link) if link else "",
                    event.object_type,
                    event.object_id,
                    event.ip or "",
                    event.request_id,
                    event.via,
                ]
                yield [safe_cell(cell) for cell in row]

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)
        chunk = []
        for event in events:
            chunk.append(event)
            if len(chunk) == 1000:
                yield from (writer.writerow(row) for row in rows(chunk))
                chunk = []
        yield from (writer.writerow(row) for row in rows(chunk))

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token was missing or wrong: refused, said plainly, audited."""
    from .audit import audit_event
    from .models import AuditEvent

    audit_event(request, AuditEvent.Action.REFUSED, "request", request.path[:64], what="csrf token")
    return render(request, "403_csrf.html", status=403)


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """The SMS gateway's delivery reports: ``{"id": "<its message id>", "status": "delivered"}``
    with ``Authorization: Bearer <SMS_STATUS_TOKEN>``. Off (404) while no token is set."""
    import hmac
    import json

    from .sms import delivery_report

    token = settings.SMS_STATUS_TOKEN
    if not token:
        raise Http404
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        return HttpResponse(status=401)
    try:
        body = json.loads(request.body or b"{}")
        gateway_id, status = str(body["id"])[:100], str(body["status"])
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    if not delivery_report(gateway_id=gateway_id, status=status):
        raise Http404
    return HttpResponse(status=204)
