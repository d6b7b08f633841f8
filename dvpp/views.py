import datetime
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import (
    Area,
    area_required,
    get_for_user,
    scope_to_organisation,
    user_areas,
    user_can,
)
from .models import Role, User

logger = logging.getLogger(__name__)

HOME_TEMPLATES = {
    Role.FACILITATOR: "dvpp/home_facilitator.html",
    Role.PARTNER_SUPPORT: "dvpp/home_partner_support.html",
    Role.MANAGER: "dvpp/home_manager.html",
    Role.ADMINISTRATOR: "dvpp/home_administrator.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts on its own home page; a user without a role is told to ask for one."""
    template = HOME_TEMPLATES.get(request.user.role, "dvpp/home_no_role.html")
    context = {"areas": user_areas(request.user)}
    if request.user.role == Role.FACILITATOR:
        from sessions.selectors import sessions_this_week

        context["week"] = sessions_this_week(request.user)
    return render(request, template, context)


@area_required(Area.STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = scope_to_organisation(User.objects.filter(is_active=True), request.user)
    page = Paginator(staff.order_by("last_name", "first_name", "username"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "dvpp/staff_list.html", {"page": page})


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
    from .models import Notification
    from .notifications import retry_failed

    failed = Notification.objects.filter(
        organisation_id=request.user.organisation_id, state=Notification.State.FAILED
    )
    if request.method == "POST":
        retry = request.POST.get("retry", "")
        if not retry.isdigit():
            raise Http404
        notification = get_for_user(failed, request.user, pk=int(retry))
        retry_failed(notification)
        messages.success(request, _("The message will be sent again."))
        return redirect("failed_notifications")
    return render(request, "dvpp/failed_notifications.html", {"failed": failed[:200]})


@area_required(Area.AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The organisation's audit log for managers: who read or changed which record, and when."""
    from .models import AuditEvent

    events = AuditEvent.objects.filter(organisation_id=request.user.organisation_id).select_related(
        "user"
    )
    staff = User.objects.filter(organisation_id=request.user.organisation_id).order_by(
        "last_name", "first_name"
    )
    user_id = request.GET.get("user", "")
    if user_id.isdigit():
        events = events.filter(user_id=int(user_id))
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    if record := request.GET.get("record", "").strip():
        events = events.filter(object_id=record)
    for bound, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        try:
            day = datetime.date.fromisoformat(request.GET.get(bound, ""))
        except ValueError:
            continue
        events = events.filter(**{lookup: day})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    # What partner support did on a partner's record (a check-in, a MARAC referral) stays with
    # partner support: others see that the record was read or changed, not what was done.
    if not user_can(request.user, Area.PARTNERS):
        for event in page:
            if event.object_type.startswith(("partners.", "outcomes.")):
                event.what = ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dvpp/audit_log.html",
        {
            "page": page,
            "staff": staff,
            "actions": AuditEvent.Action.choices,
            "filters": request.GET,
            "query": query.urlencode(),
        },
    )
