"""Demo programme: the 30-week curriculum, closure dates, two groups per organisation (one meets
today, so the register has something to show), the demo men placed in them with their marks."""

import datetime
import random

from django.utils import timezone

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Role
from participants.models import Participant, Status

from . import services
from .calendar import OrganisationCalendar
from .curriculum import programme_install_standard
from .models import Attendance, ClosureDate, Enrolment, Programme, Session

# Public holidays come from the country's calendar (sessions.calendar); the demo adds one
# closure of the centre's own, a staff training day a few weeks ahead.
TRAINING_DAY = ("Staff training day", "День обучения сотрудников")


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if Programme.objects.filter(organisation=organisation).exists():
            continue
        _seed_organisation(context, spec, organisation)


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


def _place(man, group, rng, today, *, started: bool, by) -> None:
    sessions = list(group.sessions.filter(status=Session.Status.SCHEDULED).order_by("date"))
    past = [s for s in sessions if s.date < today]
    if started and past:
        first = past[max(0, len(past) - rng.randint(3, len(past)))]
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
    Attendance.objects.bulk_create(
        Attendance(
            organisation_id=group.organisation_id,
            session=session,
            participant=man,
            enrolment=enrolment,
            outcome=rng.choice(outcomes),
            marked_by=by,
        )
        for session in past
        if session.date >= first.date
    )
