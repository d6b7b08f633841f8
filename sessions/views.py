import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from dvpp.access import Area, area_required, get_for_user
from dvpp.forms import add_service_errors
from participants.models import Participant

from . import selectors, services
from .access import get_group_for_user, get_session_for_user
from .forms import (
    AllocateForm,
    CancelSessionForm,
    GroupForm,
    MarkForm,
    MoveEnrolmentForm,
    MoveSessionForm,
    NoteForm,
)
from .models import Attendance, Enrolment


def _errors_as_messages(request, form, error: ValidationError | None = None) -> None:
    if error is not None:
        add_service_errors(form, error)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


@area_required(Area.GROUPS)
def index(request: HttpRequest) -> HttpResponse:
    groups = selectors.groups_for_user(request.user)
    return render(request, "group_sessions/index.html", {"groups": groups})


@area_required(Area.GROUPS)
def today(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "group_sessions/today.html",
        {"week": selectors.sessions_this_week(request.user), "today": timezone.localdate()},
    )


@area_required(Area.GROUPS)
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            group = services.group_create(
                organisation=request.user.organisation, by=request.user, data=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Group %(name)s created with its schedule.") % {"name": group.name}
            )
            return redirect("group_sessions:group", public_id=group.public_id)
    return render(request, "group_sessions/group_form.html", {"form": form})


SCHEDULE_WEEKS_BACK = 4
SCHEDULE_AHEAD = 12


@area_required(Area.GROUPS)
def group_detail(request: HttpRequest, public_id) -> HttpResponse:
    group = get_group_for_user(request.user, public_id)
    today = timezone.localdate()
    # A rolling group adds a cycle after cycle for years: the schedule shows the last four weeks
    # and what comes next, the whole of it when asked.
    schedule = (
        group.sessions.select_related("theme")
        .annotate(marks=Count("attendance"))
        .order_by("date", "start_time")
    )
    whole_schedule = request.GET.get("schedule") == "all"
    if whole_schedule:
        sessions, schedule_cut = list(schedule), False
    else:
        since = today - datetime.timedelta(weeks=SCHEDULE_WEEKS_BACK)
        held = list(schedule.filter(date__gte=since, date__lt=today))
        coming = list(schedule.filter(date__gte=today)[: SCHEDULE_AHEAD + 1])
        schedule_cut = (
            len(coming) > SCHEDULE_AHEAD or group.sessions.filter(date__lt=since).exists()
        )
        sessions = held + coming[:SCHEDULE_AHEAD]
    enrolments = list(
        selectors.with_attendance(
            group.enrolments.filter(state=Enrolment.State.ACTIVE)
            .select_related("participant", "first_session__theme")
            .order_by("participant__last_name"),
            today=today,
        )
    )
    for enrolment in enrolments:
        enrolment.attendance_figure = selectors.place_attendance(enrolment)
    return render(
        request,
        "group_sessions/group.html",
        {
            "group": group,
            "sessions": sessions,
            "enrolments": enrolments,
            "places_left": group.capacity - len(enrolments),
            "rate": selectors.group_attendance_rate(group),
            "allocate_form": AllocateForm(organisation=group.organisation),
            "move_form": MoveEnrolmentForm(group=group),
            "today": today,
            "schedule_cut": schedule_cut,
        },
    )


@require_POST
@area_required(Area.GROUPS)
def allocate(request: HttpRequest, public_id) -> HttpResponse:
    group = get_group_for_user(request.user, public_id)
    form = AllocateForm(request.POST, organisation=group.organisation)
    if form.is_valid():
        try:
            services.enrolment_allocate(
                participant=form.cleaned_data["participant"], group=group, by=request.user
            )
        except ValidationError as error:
            _errors_as_messages(request, form, error)
        else:
            messages.success(
                request,
                _("%(name)s allocated to %(group)s.")
                % {"name": form.cleaned_data["participant"].full_name, "group": group.name},
            )
    else:
        _errors_as_messages(request, form)
    return redirect("group_sessions:group", public_id=group.public_id)


@require_POST
@area_required(Area.GROUPS)
def move_enrolment(request: HttpRequest, public_id, enrolment_id: int) -> HttpResponse:
    group = get_group_for_user(request.user, public_id)
    enrolment = get_for_user(
        Enrolment.objects.filter(group=group).select_related("group__programme", "participant"),
        request.user,
        pk=enrolment_id,
    )
    form = MoveEnrolmentForm(request.POST, group=group)
    if form.is_valid():
        try:
            services.enrolment_move(
                enrolment=enrolment, to_group=form.cleaned_data["to_group"], by=request.user
            )
        except ValidationError as error:
            _errors_as_messages(request, form, error)
        else:
            messages.success(
                request,
                _("%(name)s moved to %(group)s.")
                % {
                    "name": enrolment.participant.full_name,
                    "group": form.cleaned_data["to_group"].name,
                },
            )
    else:
        _errors_as_messages(request, form)
    return redirect("group_sessions:group", public_id=group.public_id)


# The register's buttons: the full label (read out, and shown where there is room) and a short
# one that lets a man's four buttons share his line on a phone.
REGISTER_BUTTONS = [
    (Attendance.Outcome.PRESENT, pgettext_lazy("register button", "Present")),
    (Attendance.Outcome.LATE, pgettext_lazy("register button", "Late")),
    (Attendance.Outcome.AUTHORISED, pgettext_lazy("register button", "Excused")),
    (Attendance.Outcome.UNAUTHORISED, pgettext_lazy("register button", "Unexcused")),
]


def _buttons() -> list[tuple[str, str, str]]:
    return [(outcome.value, outcome.label, short) for outcome, short in REGISTER_BUTTONS]


def _can_mark(session) -> bool:
    return not session.is_cancelled and session.date <= timezone.localdate()


@area_required(Area.GROUPS)
def session_register(request: HttpRequest, public_id) -> HttpResponse:
    session = get_session_for_user(request.user, public_id)
    rows = selectors.register(session)
    return render(
        request,
        "group_sessions/register.html",
        {
            "session": session,
            "rows": rows,
            "count": selectors.register_count(rows),
            # The week's handouts, downloaded from the library's handout page.
            "handouts": list(session.theme.handouts.all()),
            "outcomes": _buttons(),
            "can_mark": _can_mark(session),
            "has_marks": any(row.mark for row in rows),
            "cancel_form": CancelSessionForm(),
            "move_form": MoveSessionForm(
                initial={"date": session.date, "start_time": session.start_time}
            ),
        },
    )


def _man(request: HttpRequest, form: MarkForm | NoteForm) -> Participant:
    return get_for_user(
        Participant.objects.all(), request.user, public_id=form.cleaned_data["participant"]
    )


def _row_response(request, session, participant, *, error=None, note_error=None):
    """His row as the register now shows it, and the register's count beside it (swapped in
    out of band), both from the same rows."""
    rows = selectors.register(session)
    row = next((r for r in rows if r.participant.pk == participant.pk), None)
    if row is None:
        return HttpResponse(error or note_error or "", status=422)
    return render(
        request,
        "group_sessions/_register_row.html",
        {
            "row": row,
            "session": session,
            "outcomes": _buttons(),
            "can_mark": True,
            "error": error,
            "note_error": note_error,
            "count": selectors.register_count(rows),
            "count_oob": True,
        },
        status=422 if error or note_error else 200,
    )


@require_POST
@area_required(Area.GROUPS)
def session_mark(request: HttpRequest, public_id) -> HttpResponse:
    """One tap on the register, with the note as typed so far. With htmx the row comes back in
    place (and the count above the register); without, the page."""
    session = get_session_for_user(request.user, public_id)
    form = MarkForm(request.POST)
    if not form.is_valid() and {"participant", "outcome"} & set(form.errors):
        return HttpResponseBadRequest(_("Choose a man and a mark."))
    participant = _man(request, form)
    # A note too long is refused with the tap: nothing is saved, and the row says why.
    error = " ".join(form.errors.get("note", [])) or None
    if error is None:
        try:
            # The mark and its audit row are saved together, with one commit (the service).
            services.attendance_mark(
                session=session,
                participant=participant,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
    if request.htmx:
        return _row_response(request, session, participant, error=error)
    if error:
        messages.error(request, error)
    return redirect("group_sessions:register", public_id=session.public_id)


@require_POST
@area_required(Area.GROUPS)
def session_note(request: HttpRequest, public_id) -> HttpResponse:
    """The note on his mark saved by itself: typed after the tap, or changed later. With htmx
    the note's saved / not saved state comes back; without, the page."""
    session = get_session_for_user(request.user, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid() and "participant" in form.errors:
        return HttpResponseBadRequest(_("Choose a man and a mark."))
    participant = _man(request, form)
    note_error = " ".join(form.errors.get("note", [])) or None
    if note_error is None:
        try:
            services.attendance_note_save(
                session=session,
                participant=participant,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as refused:
            note_error = " ".join(refused.messages)
    if request.htmx:
        return _note_state(request, participant, note_error=note_error)
    if note_error:
        messages.error(request, f"{participant.full_name}: {note_error}")
    else:
        messages.success(request, _("Note saved for %(name)s.") % {"name": participant.full_name})
    return redirect("group_sessions:register", public_id=session.public_id)


def _note_state(request, participant, *, note_error=None) -> HttpResponse:
    return render(
        request,
        "group_sessions/_register_note_state.html",
        {"participant": participant, "note_error": note_error, "note_saved": not note_error},
        status=422 if note_error else 200,
    )


@require_POST
@area_required(Area.GROUPS)
def session_all_present(request: HttpRequest, public_id) -> HttpResponse:
    """ "All present": every man not yet marked is marked present in one tap (one transaction,
    one audit row per mark); the exceptions are then changed one by one."""
    session = get_session_for_user(request.user, public_id)
    error = None
    try:
        marks = services.attendance_mark_all_present(session=session, by=request.user)
    except ValidationError as refused:
        error = " ".join(refused.messages)
        notice = error
    else:
        notice = ngettext(
            "%(count)s man marked present.", "%(count)s men marked present.", len(marks)
        ) % {"count": len(marks)}
    if not request.htmx:
        (messages.error if error else messages.success)(request, notice)
        return redirect("group_sessions:register", public_id=session.public_id)
    rows = selectors.register(session)
    return render(
        request,
        "group_sessions/_register_list.html",
        {
            "session": session,
            "rows": rows,
            "count": selectors.register_count(rows),
            "count_oob": True,
            "notice": notice,
            "notice_is_error": bool(error),
            "outcomes": _buttons(),
            "can_mark": _can_mark(session),
        },
        status=422 if error else 200,
    )


@require_POST
@area_required(Area.GROUPS)
def session_cancel(request: HttpRequest, public_id) -> HttpResponse:
    session = get_session_for_user(request.user, public_id)
    form = CancelSessionForm(request.POST)
    if form.is_valid():
        try:
            replacement = services.session_cancel(
                session=session, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors_as_messages(request, form, error)
        else:
            messages.success(
                request,
                _("Session cancelled. Its theme moves to %(date)s and the schedule moves on.")
                % {"date": replacement.date.strftime("%d.%m.%Y")},
            )
            return redirect("group_sessions:group", public_id=session.group.public_id)
    else:
        _errors_as_messages(request, form)
    return redirect("group_sessions:register", public_id=session.public_id)


@require_POST
@area_required(Area.GROUPS)
def session_move(request: HttpRequest, public_id) -> HttpResponse:
    session = get_session_for_user(request.user, public_id)
    form = MoveSessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_move(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_as_messages(request, form, error)
        else:
            messages.success(request, _("Session moved."))
    else:
        _errors_as_messages(request, form)
    return redirect("group_sessions:register", public_id=session.public_id)
