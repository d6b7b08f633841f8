"""Demo programmes: the 30-week curriculum, closure dates, two groups per organisation (one meets
today, so the register has something to show), the demo men placed in them with their marks;
and the two-workshop cautioning programme with a group and a few cautioned men whose marks ran
through the programme's rules (one completed, one who missed a workshop and starts again, one
past the deadline, one waiting)."""

import datetime
import random

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import ngettext

from dvpp.calendar import OrganisationCalendar
from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import ClosureDate, Role
from participants import services as case_services
from participants.demo import AFTER_PROGRAMME, FINISHED_GROUP_WEEKS_AGO, at_time, date_history
from participants.models import (
    AssessmentOutcome,
    CaseTask,
    Participant,
    ReferralSource,
    RiskLevel,
    Status,
    StatusChange,
)

from . import selectors, services
from .curriculum import CAUTIONING_NAME, programme_install_cautioning, programme_install_standard
from .models import Attendance, Enrolment, Programme, Session

# Public holidays come from the country's calendar (dvpp.calendar); the demo adds one
# closure of the centre's own, a staff training day a few weeks ahead.
TRAINING_DAY = ("Staff training day", "День обучения сотрудников")


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if not Programme.objects.filter(organisation=organisation).exists():
            _seed_organisation(context, spec, organisation)
        if not Programme.objects.filter(
            organisation=organisation, name_en=CAUTIONING_NAME[0]
        ).exists():
            with translation.override(spec.language):  # task details in the service's language
                _seed_cautioning(context, spec, organisation)


def _seed_organisation(context, spec, organisation) -> None:
    rng = random.Random(f"{context.seed}:sessions:{spec.slug}")  # noqa: S311 - demo data
    today = timezone.localdate()
    training = today + datetime.timedelta(days=24)
    ClosureDate.objects.get_or_create(
        organisation=organisation,
        date=training,
        defaults={"name_en": TRAINING_DAY[0], "name_ru": TRAINING_DAY[1]},
    )
    if today in OrganisationCalendar(organisation):
        # The demo shows a register for today, whatever day it is run.
        ClosureDate.objects.update_or_create(
            organisation=organisation,
            date=today,
            defaults={
                "kind": ClosureDate.Kind.OPEN,
                "name_en": "Open for the demo",
                "name_ru": "Открыто для демонстрации",
            },
        )
    programme = programme_install_standard(organisation)
    facilitator = context.staff[(spec.slug, Role.FACILITATOR)]
    manager = context.staff[(spec.slug, Role.MANAGER)]
    russian = spec.language == "ru"
    today_group = services.group_create(
        organisation=organisation,
        by=manager,
        data={
            "programme": programme,
            "name": "Группа А" if russian else "Group A",
            "facilitator": facilitator,
            "co_facilitator": manager,
            "venue": "ул. Ленина, 1, зал 2" if russian else "Community Centre, Room 2",
            "weekday": today.weekday(),
            "start_time": datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": today - datetime.timedelta(weeks=14),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    later_day = today + datetime.timedelta(days=(2 - today.weekday()) % 7 or 7)
    later_group = services.group_create(
        organisation=organisation,
        by=manager,
        data={
            "programme": programme,
            "name": "Группа Б" if russian else "Group B",
            "facilitator": facilitator,
            "co_facilitator": None,
            "venue": "ул. Ленина, 1, зал 3" if russian else "Community Centre, Room 3",
            "weekday": later_day.weekday(),
            "start_time": datetime.time(10, 0)
            if later_day.weekday() == today.weekday()
            else datetime.time(18, 0),
            "duration_minutes": 150,
            "start_date": later_day - datetime.timedelta(weeks=6),
            "capacity": 12,
            "intake": "rolling",
        },
    )
    men = Participant.objects.filter(
        organisation=organisation, status__in=[Status.ALLOCATED, Status.IN_PROGRAMME]
    ).order_by("reference")
    for index, man in enumerate(men):
        group = today_group if index % 3 else later_group
        _place(man, group, rng, today, started=man.status == Status.IN_PROGRAMME, by=facilitator)
        context.count("places")
    _seed_finished_group(organisation, programme, facilitator, manager, rng, today, russian)
    with translation.override(spec.language):
        _compliance_reviews(organisation, programme)


def _compliance_reviews(organisation, programme) -> None:
    """The register's rule, as it would have run on the demo's marks: a man with the
    programme's number of unauthorised absences has a compliance review (and, on a court or
    probation order, a task to inform his referrer). One man in the programme has just reached
    it, so the facilitator's home page has a review to do."""
    threshold = programme.absence_review_after
    men = list(
        Participant.objects.filter(organisation=organisation, status=Status.IN_PROGRAMME)
        .filter(enrolments__group__programme=programme)
        .annotate(attendance_count=Count("attendance", distinct=True))
        .order_by("reference")
    )
    # The man with the longest run of sessions misses his latest ones without a good reason.
    missing = max(men, key=lambda man: (man.attendance_count, man.reference), default=None)
    if missing is not None and missing.attendance_count > threshold:
        recent = Attendance.objects.filter(participant=missing).order_by("-session__date")
        latest = list(recent.values_list("pk", flat=True)[:threshold])
        Attendance.objects.filter(pk__in=latest).update(outcome=Attendance.Outcome.UNAUTHORISED)
    for man in men:
        unauthorised = Attendance.objects.filter(
            participant=man, outcome=Attendance.Outcome.UNAUTHORISED
        ).count()
        if unauthorised < threshold:
            continue
        key = f"unauthorised-{unauthorised // threshold * threshold}"
        detail = ngettext(
            "%(count)s unauthorised absence", "%(count)s unauthorised absences", unauthorised
        ) % {"count": unauthorised}
        kinds = [CaseTask.Kind.COMPLIANCE_REVIEW]
        if man.referrals.filter(is_statutory=True).exists():
            kinds.append(CaseTask.Kind.INFORM_REFERRER)
        for kind in kinds:
            case_services.case_task_raise(participant=man, kind=kind, key=key, detail=detail)


def _ready_on(man) -> datetime.date:
    """The day he joined the waiting list: no group place comes before it."""
    joined = (
        StatusChange.objects.filter(participant=man, to_status=Status.WAITING_LIST)
        .order_by("changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    return timezone.localtime(joined).date()


def _seed_finished_group(organisation, programme, facilitator, manager, rng, today, russian):
    """The group the demo's finished men went through: it began FINISHED_GROUP_WEEKS_AGO weeks
    ago and has run its 30 sessions; completers attended them all, the others left part-way.
    Their status history is dated by the sessions they attended."""
    # A day after today's weekday, in the week FINISHED_GROUP_WEEKS_AGO weeks ago.
    start = today - datetime.timedelta(weeks=FINISHED_GROUP_WEEKS_AGO) + datetime.timedelta(days=1)
    group = services.group_create(
        organisation=organisation,
        by=manager,
        data={
            "programme": programme,
            "name": "Весенняя группа" if russian else "Spring group",
            "facilitator": facilitator,
            "co_facilitator": None,
            "venue": "ул. Ленина, 1, зал 2" if russian else "Community Centre, Room 2",
            "weekday": start.weekday(),
            "start_time": datetime.time(13, 0),
            "duration_minutes": 150,
            "start_date": start,
            "capacity": 12,
            "intake": "closed",
            "is_archived": True,
        },
    )
    sessions = list(group.sessions.filter(status=Session.Status.SCHEDULED).order_by("date"))
    sessions = [s for s in sessions if s.date < today][: programme.session_count]
    men = Participant.objects.filter(
        organisation=organisation,
        status__in=AFTER_PROGRAMME,
        status_changes__to_status=Status.IN_PROGRAMME,
    ).order_by("reference")
    for man in men:
        completed = man.status == Status.COMPLETED
        attended = sessions if completed else sessions[: rng.randint(4, 12)]
        last = attended[-1].date
        left = last if completed else last + datetime.timedelta(days=7)
        enrolment = Enrolment.objects.create(
            organisation=organisation,
            participant=man,
            group=group,
            first_session=sessions[0],
            state=Enrolment.State.FINISHED if completed else Enrolment.State.LEFT,
            ended_on=left,
            created_by=facilitator,
        )
        outcomes = [Attendance.Outcome.PRESENT] * 8 + [Attendance.Outcome.AUTHORISED]
        marks = [Attendance.Outcome.PRESENT] + [rng.choice(outcomes) for _ in attended[1:]]
        if man.status == Status.BREACHED:
            marks[-2:] = [Attendance.Outcome.UNAUTHORISED] * 2
        Attendance.objects.bulk_create(
            Attendance(
                organisation_id=organisation.pk,
                session=session,
                participant=man,
                enrolment=enrolment,
                outcome=outcome,
                marked_by=facilitator,
            )
            for session, outcome in zip(attended, marks, strict=True)
        )
        date_history(
            man,
            {
                Status.ALLOCATED: at_time(start - datetime.timedelta(days=7)),
                Status.IN_PROGRAMME: at_time(sessions[0].date, group.start_time),
                man.status: at_time(left, datetime.time(16, 0)),
            },
        )


def _place(man, group, rng, today, *, started: bool, by) -> None:
    sessions = list(group.sessions.filter(status=Session.Status.SCHEDULED).order_by("date"))
    ready = _ready_on(man)
    # His first session comes a week or more after he joined the waiting list.
    past = [s for s in sessions if ready + datetime.timedelta(days=7) <= s.date < today]
    if started and past:
        first = past[rng.randrange(max(1, len(past) - 2))]
    else:
        first = next(s for s in sessions if s.date >= today)
    services._ensure_sessions(group, after=first, needed=group.programme.session_count)
    enrolment = Enrolment.objects.create(
        organisation_id=group.organisation_id,
        participant=man,
        group=group,
        first_session=first,
        created_by=by,
    )
    outcomes = [Attendance.Outcome.PRESENT] * 14 + [
        Attendance.Outcome.LATE,
        Attendance.Outcome.AUTHORISED,
        Attendance.Outcome.UNAUTHORISED,
    ]
    attended = [session for session in past if session.date >= first.date]
    # He joined the programme by attending his first session; after that, anything can happen.
    marks = [Attendance.Outcome.PRESENT] + [rng.choice(outcomes) for _ in attended[1:]]
    marks = marks[: len(attended)]
    Attendance.objects.bulk_create(
        Attendance(
            organisation_id=group.organisation_id,
            session=session,
            participant=man,
            enrolment=enrolment,
            outcome=outcome,
            marked_by=by,
        )
        for session, outcome in zip(attended, marks, strict=True)
    )
    allocated = max(ready + datetime.timedelta(days=1), first.date - datetime.timedelta(days=7))
    on = {Status.ALLOCATED: at_time(min(allocated, today))}
    if started and first.date < today:
        on[Status.IN_PROGRAMME] = at_time(first.date, group.start_time)
    date_history(man, on)


# The cautioned men: (what happens to him, days from the caution to the group's first workshop).
CAUTIONED = [("completed", 8), ("missed", 5), ("deadline", 50), ("waiting", None)]
POLICE = {
    "en": ("West Yorkshire Police, Leeds District", "Cautioned for common assault on his partner."),
    "ru": (
        "Отдел полиции № 1 УМВД России по г. Екатеринбургу",
        "Побои в отношении супруги, административное дело.",
    ),
}


def _seed_cautioning(context, spec, organisation) -> None:
    """The cautioning programme's group (a pair of workshops six weeks ago, and the next pair
    from today) and four cautioned men, marked through the register's rules."""
    today = timezone.localdate()
    russian = spec.language == "ru"
    fake = context.faker(spec.faker_locale, f"cautioning:{spec.slug}")
    facilitator = context.staff[(spec.slug, Role.FACILITATOR)]
    manager = context.staff[(spec.slug, Role.MANAGER)]
    programme = programme_install_cautioning(organisation)
    # A pair of workshops six weeks ago (a week earlier while a holiday falls on one of them).
    closed = selectors.closures(organisation)
    interval = datetime.timedelta(days=programme.interval_days)
    start = today - 2 * interval
    while start in closed or start + interval in closed:
        start -= datetime.timedelta(weeks=1)
    group = services.group_create(
        organisation=organisation,
        by=manager,
        data={
            "programme": programme,
            "name": "Предупреждение: занятия" if russian else "Cautioning workshops",
            "facilitator": facilitator,
            "co_facilitator": manager,
            "venue": "ул. Ленина, 1, зал 1" if russian else "Community Centre, Room 1",
            "weekday": today.weekday(),
            "start_time": datetime.time(14, 0),
            "duration_minutes": 150,
            "start_date": start,
            "capacity": 12,
            "intake": "rolling",
        },
    )
    context.count("programmes")
    first = group.sessions.filter(status=Session.Status.SCHEDULED).order_by("date")[0]
    # The pair six weeks ago and the next pair, from today.
    services._ensure_sessions(group, after=first, needed=2 * programme.session_count)
    source = ReferralSource.objects.filter(
        organisation=organisation, code__in=["police-caution", "police"]
    ).order_by("-code")[0]  # the cautioning scheme where the country has one, else the police
    police, reason = POLICE[spec.language]
    for number, (story, days_before) in enumerate(CAUTIONED, start=1):
        cautioned = (
            first.date - datetime.timedelta(days=days_before)
            if days_before is not None
            else today - datetime.timedelta(days=6)
        )
        man = case_services.referral_intake(
            organisation=organisation,
            by=facilitator,
            participant_data={
                "last_name": fake.last_name_male(),
                "first_name": fake.first_name_male(),
                "patronymic": fake.middle_name_male() if russian else "",
                "date_of_birth": fake.date_of_birth(minimum_age=19, maximum_age=64),
                "phone": fake.phone_number()[:40],
                "email": f"cautioned{number}@example.org",
                "preferred_language": spec.language,
                "reminder_consent": True,
                "reminder_channel": "sms",
                "key_worker": facilitator,
                "children_count": number % 3,
                "children_ages": "",
            },
            referral_data={
                "source": source,
                "referrer_organisation": police,
                "referrer_name": fake.name(),
                "referrer_contact": fake.phone_number()[:200],
                "made_on": cautioned,
                "received_on": cautioned + datetime.timedelta(days=1),
                "reason": reason,
                "consent_to_share": True,
            },
        )
        case_services.assessment_add_appointment(
            participant=man,
            by=facilitator,
            date=cautioned + datetime.timedelta(days=2),
            attended=True,
            assessor=facilitator,
        )
        case_services.assessment_decide(
            participant=man,
            by=manager,
            outcome=AssessmentOutcome.SUITABLE,
            reason="",
            risk_level=RiskLevel.LOW if number % 2 else RiskLevel.MEDIUM,
            partner_details_passed_on=cautioned + datetime.timedelta(days=3),
            decided_on=cautioned + datetime.timedelta(days=3),
        )
        context.count("cases")
        if story != "waiting":
            _cautioning_story(man, story, group, facilitator, today)
        _date_cautioned(man, cautioned, group, today)
    # The nightly job, as it would have run: the man whose deadline passed gets his task.
    services.completion_deadlines_apply()


def _cautioning_story(man, story, group, facilitator, today) -> None:
    sessions = list(group.sessions.filter(status=Session.Status.SCHEDULED).order_by("date"))
    past = [s for s in sessions if s.date < today]
    if story == "deadline" or len(past) < 2:
        # Allocated late, to the next pair: his caution's deadline has already passed.
        upcoming = services.next_cycle_start(group, on_or_after=today)
        services.enrolment_allocate(
            participant=man, group=group, by=facilitator, first_session=upcoming
        )
        return
    services.enrolment_allocate(participant=man, group=group, by=facilitator, first_session=past[0])
    outcomes = {"completed": ["present", "present"], "missed": ["present", "unauthorised"]}[story]
    for session, outcome in zip(past[:2], outcomes, strict=True):
        services.attendance_mark(session=session, participant=man, outcome=outcome, by=facilitator)
    if story == "completed":
        task = man.tasks.get(kind=CaseTask.Kind.CONFIRM_COMPLETION)
        services.completion_confirm(participant=man, task=task, by=facilitator)


def _date_cautioned(man, cautioned, group, today) -> None:
    """His history as it happened: referred the day after the caution, assessed, placed a few
    days later; in the programme from the first workshop he attended, completed at the second."""
    day = datetime.timedelta(days=1)
    on = {
        Status.REFERRED: at_time(cautioned + day),
        Status.ASSESSMENT: at_time(cautioned + 2 * day),
        Status.WAITING_LIST: at_time(cautioned + 3 * day),
        Status.ALLOCATED: at_time(min(cautioned + 4 * day, today - day)),
    }
    marked = list(
        Attendance.objects.filter(participant=man)
        .order_by("session__date")[:2]
        .select_related("session")
    )
    if marked:
        on[Status.IN_PROGRAMME] = at_time(marked[0].session.date, group.start_time)
        on[Status.COMPLETED] = at_time(marked[-1].session.date, datetime.time(16, 30))
    date_history(man, on)
