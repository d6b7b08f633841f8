"""Cohorts with the shapes the research published, built straight into the database.

* Re-offending: 100 men who started (80 completers, 20 non-completers), 26 of them with an
  incident within 12 months, 39 incidents, 3,000 days of harm; a comparison group of 100 men
  assessed suitable who never started, 40 with an incident, 60 incidents, 4,000 days of harm.
  So the programme group re-offends 35% less, has 35% fewer incidents and 25% less harm.
* Change: 20 completers assessed at exit, 18 showing both capacity and motivation (90%).
"""

import datetime
import itertools
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from evidence.models import ChangeAssessment, ChangeInstrument, Incident, IncidentCategory, Rating
from participants.models import Assessment, AssessmentOutcome, Participant, Status
from sessions.curriculum import programme_install_standard
from sessions.models import Attendance, Enrolment, Group, Session
from tests.factories import ParticipantFactory


def _men(organisation, count: int, status: str) -> list[Participant]:
    men = [ParticipantFactory.build(organisation=organisation, status=status) for _ in range(count)]
    return Participant.objects.bulk_create(men)


def _started(organisation, men, session, group) -> None:
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            organisation=organisation,
            participant=man,
            group=group,
            first_session=session,
            state=Enrolment.State.FINISHED,
        )
        for man in men
    )
    Attendance.objects.bulk_create(
        Attendance(
            organisation=organisation,
            session=session,
            participant=man,
            enrolment=enrolment,
            outcome=Attendance.Outcome.PRESENT,
        )
        for man, enrolment in zip(men, enrolments, strict=True)
    )


def _incidents(organisation, pattern, start: datetime.date) -> None:
    """pattern: (man, category, how many) triples."""
    Incident.objects.bulk_create(
        Incident(
            organisation=organisation,
            participant=man,
            occurred_on=start + datetime.timedelta(days=30 + n),
            known_via=Incident.KnownVia.POLICE,
            category=category,
        )
        for man, category, count in pattern
        for n in range(count)
    )


def published_shapes(organisation, facilitator, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    start = today - relativedelta(months=18)
    heavy = IncidentCategory.objects.create(
        organisation=organisation, code="test-100", label_en="Test harm 100", harm_weight=100
    )
    light = IncidentCategory.objects.get(organisation=organisation, code="other")
    assert light.harm_weight == Decimal(0)

    programme = programme_install_standard(organisation)
    group = Group.objects.create(
        organisation=organisation,
        programme=programme,
        name="Shapes",
        facilitator=facilitator,
        venue="Room 1",
        weekday=start.weekday(),
        start_time=datetime.time(18),
        duration_minutes=150,
        start_date=start,
        capacity=200,
    )
    session = Session.objects.create(
        group=group,
        theme=programme.themes.first(),
        date=start,
        start_time=datetime.time(18),
        duration_minutes=150,
    )
    completers = _men(organisation, 80, Status.COMPLETED)
    non_completers = _men(organisation, 20, Status.WITHDRAWN)
    _started(organisation, completers + non_completers, session, group)
    comparison = _men(organisation, 100, Status.NOT_ENGAGED)
    Assessment.objects.bulk_create(
        Assessment(
            organisation=organisation,
            participant=man,
            outcome=AssessmentOutcome.SUITABLE,
            decided_on=start,
        )
        for man in comparison
    )

    # Programme: 16 completers and 10 non-completers re-offend; 4 of them twice with harm,
    # 9 with a further harmless incident: 39 incidents, 3,000 days.
    reoffenders = completers[:16] + non_completers[:10]
    pattern = [(man, heavy, 2 if i < 4 else 1) for i, man in enumerate(reoffenders)]
    pattern += [(man, light, 1) for man in reoffenders[4:13]]
    # Comparison: 40 re-offend with harm, 20 of them once more without: 60 incidents, 4,000 days.
    pattern += [(man, heavy, 1) for man in comparison[:40]]
    pattern += [(man, light, 1) for man in comparison[:20]]
    _incidents(organisation, pattern, start)
    # Outside the window, it does not count.
    Incident.objects.create(
        organisation=organisation,
        participant=comparison[99],
        occurred_on=start + relativedelta(months=13),
        known_via=Incident.KnownVia.POLICE,
        category=heavy,
    )
    # A man who started three months ago is not followed for a whole year yet.
    recent = _men(organisation, 1, Status.COMPLETED)
    recent_session = Session.objects.create(
        group=group,
        theme=programme.themes.first(),
        cycle=2,
        date=today - relativedelta(months=3),
        start_time=datetime.time(18),
        duration_minutes=150,
    )
    _started(organisation, recent, recent_session, group)

    instrument = ChangeInstrument.objects.get(organisation=organisation, version=1)
    assessments = []
    for i, man in enumerate(completers[:20]):
        violence = (
            Rating.NOT_PRESENT if i >= 18 else Rating.NO_CHANGE if i >= 15 else Rating.REDUCED
        )
        assessments.append(
            ChangeAssessment(
                organisation=organisation,
                participant=man,
                instrument=instrument,
                assessed_on=today - datetime.timedelta(days=30),
                capacity=i < 18,
                motivation=i < 18 or i == 19,
                ratings={"physical_violence": violence, "controlling_behaviour": Rating.REDUCED},
                used_group_work=True,
                used_partner_feedback=i < 10,
            )
        )
    ChangeAssessment.objects.bulk_create(assessments)
    return {
        "completers": completers,
        "non_completers": non_completers,
        "comparison": comparison,
        "start": start,
        "groups": list(itertools.chain(completers, non_completers)),
    }
