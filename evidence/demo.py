"""Demo evidence: an earlier group, about two years ago, followed since.

So that "Did it work?" has something to show, each demo organisation gets an earlier group of
the 30-week programme whose men were followed for more than a year: completers with a change
assessment at exit, men who left early, and men assessed suitable who never started (the
comparison group). Incidents after referral follow rates of the kind the research reports, at
random; a comparison group the police gave as counts is added too. Everything is synthetic.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Organisation, Role
from participants.demo import at_time, referrer_of
from participants.models import (
    Assessment,
    AssessmentOutcome,
    Participant,
    Referral,
    ReferralSource,
    Status,
    StatusChange,
)
from sessions import services as session_services
from sessions.models import Attendance, Enrolment, Programme

from .defaults import CHANGE_BEHAVIOURS
from .models import (
    ChangeAssessment,
    ChangeInstrument,
    ComparisonCohort,
    Incident,
    IncidentCategory,
    Rating,
)

EARLIER_GROUP = {"en": "Earlier group (followed up)", "ru": "Прошлая группа (катамнез)"}
# (status, how many, chance of an incident in the year after the start)
COHORT = [
    (Status.COMPLETED, 24, 0.20),
    (Status.WITHDRAWN, 8, 0.45),
    (Status.NOT_ENGAGED, 16, 0.40),
]


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if ComparisonCohort.objects.filter(organisation=organisation).exists():
            continue
        with transaction.atomic():
            _seed_organisation(context, spec, organisation)


def _seed_organisation(context: DemoContext, spec, organisation: Organisation) -> None:
    rng = random.Random(f"{context.seed}:evidence:{spec.slug}")  # noqa: S311 - demo data
    russian = spec.language == "ru"
    fake = context.faker("ru_RU" if russian else "en_GB", "evidence")
    today = timezone.localdate()
    start = today - relativedelta(months=22)
    facilitator = context.staff[(spec.slug, Role.FACILITATOR)]
    manager = context.staff[(spec.slug, Role.MANAGER)]
    programme = Programme.objects.filter(organisation=organisation, session_count=30).first()
    group = session_services.group_create(
        organisation=organisation,
        by=manager,
        data={
            "programme": programme,
            "name": EARLIER_GROUP["ru" if russian else "en"],
            "facilitator": facilitator,
            "co_facilitator": None,
            "venue": "Кабинет 1" if russian else "Room 1",
            "weekday": start.weekday(),
            "start_time": datetime.time(10, 0),
            "duration_minutes": 150,
            "start_date": start,
            "capacity": 40,
            "intake": "closed",
            "is_archived": True,
        },
    )
    sessions = list(group.sessions.order_by("date")[: programme.session_count])
    source = ReferralSource.objects.get(organisation=organisation, code="police")
    referred = start - datetime.timedelta(days=60)

    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    men = []
    for status, count, _rate in COHORT:
        for _ in range(count):
            locked.case_counter += 1
            men.append(
                Participant(
                    organisation=organisation,
                    reference=f"{locked.case_counter:05d}",
                    last_name=fake.last_name_male(),
                    first_name=fake.first_name_male(),
                    patronymic=fake.middle_name_male() if russian else "",
                    date_of_birth=fake.date_of_birth(minimum_age=22, maximum_age=60),
                    preferred_language=spec.language,
                    status=status,
                )
            )
    locked.save(update_fields=["case_counter"])
    men = Participant.objects.bulk_create(men)
    context.count("cases", len(men))
    Referral.objects.bulk_create(
        Referral(
            organisation=organisation,
            participant=man,
            source=source,
            referrer_organisation=referrer_of(source, spec.language),
            made_on=referred,
            received_on=referred,
            reason="Демонстрационные данные." if russian else "Demo data.",
        )
        for man in men
    )
    Assessment.objects.bulk_create(
        Assessment(
            organisation=organisation,
            participant=man,
            outcome=AssessmentOutcome.SUITABLE,
            risk_level="medium",
            decided_on=referred + datetime.timedelta(days=21),
            decided_by=facilitator,
        )
        for man in men
    )

    starters = [man for man in men if man.status != Status.NOT_ENGAGED]
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            organisation=organisation,
            participant=man,
            group=group,
            first_session=sessions[0],
            state=Enrolment.State.FINISHED,
            ended_on=sessions[-1].date if man.status == Status.COMPLETED else sessions[9].date,
        )
        for man in starters
    )
    marks = []
    for man, enrolment in zip(starters, enrolments, strict=True):
        attended = sessions if man.status == Status.COMPLETED else sessions[: rng.randint(3, 10)]
        marks += [
            Attendance(
                organisation=organisation,
                session=session,
                participant=man,
                enrolment=enrolment,
                outcome=Attendance.Outcome.PRESENT,
            )
            for session in attended
        ]
    Attendance.objects.bulk_create(marks)

    _date_history(men, enrolments, starters, sessions, referred, start)

    categories = list(
        IncidentCategory.objects.filter(organisation=organisation, is_archived=False).exclude(
            code="other"
        )
    )
    rates = {status: rate for status, _count, rate in COHORT}
    incidents = []
    for man in men:
        window_start = start if man.status != Status.NOT_ENGAGED else referred
        if rng.random() < rates[man.status]:
            for _ in range(rng.choice([1, 1, 1, 2])):
                incidents.append(
                    Incident(
                        organisation=organisation,
                        participant=man,
                        occurred_on=window_start + datetime.timedelta(days=rng.randint(40, 350)),
                        known_via=rng.choice(["police", "police", "probation", "partner_support"]),
                        category=rng.choice(categories),
                        police_involved=True,
                        outcome=rng.choice(["nfa", "caution", "charge", "conviction"]),
                    )
                )
    Incident.objects.bulk_create(incidents)
    context.count("incidents", len(incidents))

    instrument = ChangeInstrument.objects.get(organisation=organisation, version=1)
    completers = [man for man in men if man.status == Status.COMPLETED]
    ChangeAssessment.objects.bulk_create(
        ChangeAssessment(
            organisation=organisation,
            participant=man,
            instrument=instrument,
            assessed_on=sessions[-1].date,
            capacity=rng.random() < 0.92,
            motivation=rng.random() < 0.92,
            ratings={
                code: rng.choice([Rating.REDUCED] * 8 + [Rating.NO_CHANGE, Rating.NOT_PRESENT])
                for code, _en, _ru in CHANGE_BEHAVIOURS
            },
            used_group_work=True,
            used_individual_sessions=rng.random() < 0.5,
            used_partner_feedback=rng.random() < 0.6,
            assessed_by=facilitator,
        )
        for man in completers
    )
    ComparisonCohort.objects.create(
        organisation=organisation,
        name="Полиция: без программы, 2024" if russian else "Police: no programme, 2024",
        source="ГУ МВД (демо)" if russian else "Constabulary (demo)",
        description=(
            "Мужчины с тем же видом правонарушения, не направленные на программу."
            if russian
            else "Men with the same kind of offence who were not referred to the programme."
        ),
        window_months=12,
        men=120,
        men_with_incident=46,
        incidents=71,
        total_harm=9800,
        harm_sd="160",
        randomised=False,
        created_by=manager,
    )


def _date_history(men, enrolments, starters, sessions, referred, start) -> None:
    """Each man's status history as his journey went: referred, assessed three weeks later, on
    the waiting list, then the group from its first session to the day he finished or left (or,
    for the comparison group, never started)."""
    ended = {
        man.pk: enrolment.ended_on for man, enrolment in zip(starters, enrolments, strict=True)
    }
    assessed = referred + datetime.timedelta(days=21)
    changes = []
    for man in men:
        path = [
            (Status.REFERRED, at_time(referred)),
            (Status.ASSESSMENT, at_time(assessed - datetime.timedelta(days=14))),
        ]
        if man.status == Status.NOT_ENGAGED:
            path.append((Status.NOT_ENGAGED, at_time(assessed)))
        else:
            path += [
                (Status.WAITING_LIST, at_time(assessed)),
                (Status.ALLOCATED, at_time(start - datetime.timedelta(days=7))),
                (Status.IN_PROGRAMME, at_time(sessions[0].date, datetime.time(10, 0))),
                (man.status, at_time(ended[man.pk], datetime.time(16, 0))),
            ]
        previous = ""
        for status, moment in path:
            changes.append(
                StatusChange(
                    participant=man, from_status=previous, to_status=status, changed_at=moment
                )
            )
            previous = status
        man.status_changed_at = path[-1][1]
    StatusChange.objects.bulk_create(changes)
    Participant.objects.bulk_update(men, ["status_changed_at"])
