"""The raw counts behind the men's evidence figures, for the nightly snapshot (so that the
coalition can add members up): by calendar quarter of each man's start, never a row or a name.

Shape (JSON)::

    {"months": 12,
     "reoffending": {"<group>": {"<quarter>": [men, with an incident, incidents, harm,
                                               sum of squared harm per man]}},
     "change": {"<quarter of the assessment>": [completers assessed, both capacity and
                                                 motivation]}}

Groups: ``completers``, ``non_completers``, ``internal`` (assessed suitable, did not start).

Kept under ``evidence`` in the snapshot's counts, through ``dvpp.hooks.snapshot_counts``.
"""

import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from dvpp.models import Organisation
from participants.models import Status

from .figures import INTERNAL, _cohorts, known_incidents
from .models import ChangeAssessment

MONTHS = 12


def _quarter(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def evidence_counts(organisation: Organisation, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    cohorts = _cohorts(organisation, months=MONTHS, today=today)
    incidents: dict[int, list] = defaultdict(list)
    for pk, day, weight in known_incidents(organisation).values_list(
        "participant_id", "occurred_on", "category__harm_weight"
    ):
        incidents[pk].append((day, float(weight)))
    reoffending: dict = {}
    for key in ("completers", "non_completers", INTERNAL):
        by_quarter: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0.0, 0.0])
        for pk, start in cohorts[key].items():
            end = start + relativedelta(months=MONTHS)
            within = [weight for day, weight in incidents.get(pk, ()) if start <= day < end]
            cell = by_quarter[_quarter(start)]
            harm = sum(within)
            cell[0] += 1
            cell[1] += bool(within)
            cell[2] += len(within)
            cell[3] += harm
            cell[4] += harm * harm
        reoffending[key] = dict(by_quarter)
    change: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for day, capacity, motivation in ChangeAssessment.objects.filter(
        organisation=organisation, participant__status=Status.COMPLETED
    ).values_list("assessed_on", "capacity", "motivation"):
        cell = change[_quarter(day)]
        cell[0] += 1
        cell[1] += capacity and motivation
    return {"months": MONTHS, "reoffending": reoffending, "change": dict(change)}


def snapshot_counts(*, organisation: Organisation, on: datetime.date) -> dict:
    """The receiver of ``hooks.snapshot_counts`` (``outcomes.services.snapshot_build``)."""
    return {"evidence": evidence_counts(organisation, on)}
