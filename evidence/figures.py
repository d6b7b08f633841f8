"""The figures of the "Did it work?" report, from the organisation's own records.

Three kinds of evidence, side by side, each with its n, period, interval and a note of what it
can and cannot show:

* **Women's safety**: the paired before/after table of the partner surveys (outcomes.figures).
* **Men's change**: the practitioners' change assessments of the men who completed.
* **Re-offending and harm**: for completers, non-completers and all starters, and for a
  comparison group (the men assessed suitable who never started, or a cohort a partner agency
  gave as counts), the share of men with at least one incident in a window after their start
  date, incidents per man and harm per man; and the relative reduction of each against the
  comparison group, with a 95% confidence interval.

A man's window starts at his first attended session; for a man who never started, at the date
he was assessed suitable. He counts only once his whole window has passed, so every man is
followed for the same time. Incidents reported only to the partner support service are left
out: the men's side sees every other incident, so a total that held hers would give her report
away by subtraction.

A group about fewer people than the organisation's minimum is hidden, and so is every figure
drawn from it. When only one of completers and non-completers is hidden, both are, since the
other could be subtracted from all starters.

A fixed number of queries, whatever the number of men.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from dvpp.models import Organisation
from outcomes import figures as outcome_figures
from participants.models import (
    CLOSED_STATUSES,
    Assessment,
    AssessmentOutcome,
    Participant,
    Status,
)
from sessions.models import Attendance

from . import stats
from .models import ChangeAssessment, ComparisonCohort, Incident, Rating

WINDOWS = (6, 12, 24)
EXITED_EARLY = frozenset(outcome_figures.EXITED_EARLY)
VIOLENCE, CONTROLLING = "physical_violence", "controlling_behaviour"
INTERNAL = "internal"


def known_incidents(organisation: Organisation):
    """The incidents the men's side knows of: never one reported only to partner support."""
    return Incident.objects.filter(organisation=organisation).exclude(
        known_via=Incident.KnownVia.PARTNER_SUPPORT
    )


@dataclass
class Group:
    """One group's re-offending figures. Shares are fractions (0.35, not 35)."""

    key: str
    label: str
    n: int
    reoffended: int = 0
    incidents: int = 0
    total_harm: Decimal = Decimal(0)
    harm_sd: float | None = None
    incidents_sd: float | None = None  # per man: incidents cluster in a few men
    suppressed: bool = False
    prevalence: stats.Estimate | None = None

    @property
    def frequency(self) -> float | None:
        return self.incidents / self.n if self.n else None

    @property
    def mean_harm(self) -> float | None:
        return float(self.total_harm) / self.n if self.n else None

    def finish(self, minimum: int) -> "Group":
        if self.n < minimum:
            self.suppressed = True
        elif self.n:
            self.prevalence = stats.wilson(self.reoffended, self.n)
        return self


@dataclass
class Reduction:
    """How much lower a programme group's figure is than the comparison group's."""

    group: str
    measure: str
    label: str
    estimate: stats.Estimate | None
    suppressed: bool = False
    note: str = ""


@dataclass
class Share:
    """A share of men, with its interval: one line of the men's change figures."""

    label: str
    n: int
    count: int = 0
    estimate: stats.Estimate | None = None
    suppressed: bool = False

    def finish(self, minimum: int) -> "Share":
        if self.n < minimum:
            self.suppressed = True
        else:
            self.estimate = stats.wilson(self.count, self.n)
        return self


@dataclass
class Report:
    organisation: Organisation
    months: int
    comparison: str
    comparison_label: str
    randomised: bool
    today: datetime.date
    women: list = field(default_factory=list)
    change: list[Share] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    reductions: list[Reduction] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def followed_until(self) -> datetime.date:
        """The last start date whose whole window has passed."""
        return self.today - relativedelta(months=self.months)


def _starts(
    organisation: Organisation,
) -> list[tuple[int, str, datetime.date | None, datetime.date | None]]:
    """(man, status, first attended session, date assessed suitable) for every man: two queries.

    The first attended dates come from one pass over the organisation's own marks and sessions
    (by its indexes), not a search per man: the cost follows the organisation, never the
    installation."""
    first_attended = dict(
        Attendance.objects.filter(
            organisation=organisation,
            session__group__organisation=organisation,
            outcome__in=Attendance.ATTENDED,
        )
        .values("participant_id")
        .annotate(first=Min("session__date"))
        .values_list("participant_id", "first")
    )
    suitable_on = (
        Assessment.objects.filter(participant=OuterRef("pk"), outcome=AssessmentOutcome.SUITABLE)
        .exclude(decided_on=None)
        .order_by("-decided_on")
        .values("decided_on")[:1]
    )
    return [
        (pk, status, first_attended.get(pk), suitable)
        for pk, status, suitable in Participant.objects.filter(organisation=organisation)
        .annotate(suitable_on=Subquery(suitable_on))
        .values_list("pk", "status", "suitable_on")
    ]


def _cohorts(
    organisation: Organisation,
    *,
    months: int,
    today: datetime.date,
) -> dict[str, dict[int, datetime.date]]:
    """Each internal group's men, with the start of each man's window."""
    last_start = today - relativedelta(months=months)
    cohorts: dict[str, dict[int, datetime.date]] = {
        "completers": {},
        "non_completers": {},
        INTERNAL: {},
    }
    for pk, status, started_on, suitable_on in _starts(organisation):
        if started_on is not None:
            start = started_on
            key = (
                "completers"
                if status == Status.COMPLETED
                else "non_completers"
                if status in EXITED_EARLY
                else None
            )
        elif suitable_on is not None and status in CLOSED_STATUSES:
            start, key = suitable_on, INTERNAL
        else:
            continue
        if key is None or start > last_start:
            continue
        cohorts[key][pk] = start
    return cohorts


def _group(
    key: str,
    label: str,
    men: dict[int, datetime.date],
    incidents: dict[int, list[tuple[datetime.date, Decimal]]],
    months: int,
) -> Group:
    group = Group(key=key, label=label, n=len(men))
    harms = []
    counts = []
    for pk, start in men.items():
        end = start + relativedelta(months=months)
        within = [weight for day, weight in incidents.get(pk, ()) if start <= day < end]
        harm = sum(within, Decimal(0))
        harms.append(float(harm))
        counts.append(len(within))
        group.reoffended += bool(within)
        group.incidents += len(within)
        group.total_harm += harm
    if harms:
        group.harm_sd = stats.mean_and_sd(harms)[1]
        group.incidents_sd = stats.mean_and_sd(counts)[1]
    return group


def _cohort_group(cohort: ComparisonCohort) -> Group:
    return Group(
        key=INTERNAL,
        label=cohort.name,
        n=cohort.men,
        reoffended=cohort.men_with_incident,
        incidents=cohort.incidents,
        total_harm=cohort.total_harm,
        harm_sd=float(cohort.harm_sd) if cohort.harm_sd is not None else None,
    )


def reoffending(report: Report, cohort: ComparisonCohort | None) -> None:
    organisation = report.organisation
    men = _cohorts(
        organisation,
        months=report.months,
        today=report.today,
    )
    incidents: dict[int, list] = defaultdict(list)
    for pk, day, weight in known_incidents(organisation).values_list(
        "participant_id", "occurred_on", "category__harm_weight"
    ):
        incidents[pk].append((day, weight))
    completers = _group("completers", _("Completers"), men["completers"], incidents, report.months)
    non_completers = _group(
        "non_completers", _("Non-completers"), men["non_completers"], incidents, report.months
    )
    starters = _group(
        "starters",
        _("All who started"),
        {**men["completers"], **men["non_completers"]},
        incidents,
        report.months,
    )
    if cohort is None:
        comparison = _group(
            INTERNAL,
            _("Assessed suitable, did not start"),
            men[INTERNAL],
            incidents,
            report.months,
        )
    else:
        comparison = _cohort_group(cohort)
    minimum = organisation.min_cell_size
    for group in (completers, non_completers, starters, comparison):
        group.finish(minimum)
    if completers.suppressed != non_completers.suppressed:
        completers.suppressed = non_completers.suppressed = True
        completers.prevalence = non_completers.prevalence = None
    report.groups = [completers, non_completers, starters, comparison]

    no_interval = _(
        "No interval: a group had no incidents, or the comparison group's spread of harm is not "
        "known."
    )
    for group in (starters, completers):
        for measure, label, estimate in (
            (
                "prevalence",
                _("Men with at least one incident"),
                stats.risk_reduction(
                    group.reoffended, group.n, comparison.reoffended, comparison.n
                ),
            ),
            (
                "frequency",
                _("Incidents per man"),
                stats.mean_reduction(
                    group.frequency or 0.0,
                    group.incidents_sd,
                    group.n,
                    comparison.frequency or 0.0,
                    comparison.incidents_sd,
                    comparison.n,
                ),
            ),
            (
                "harm",
                _("Harm per man"),
                stats.mean_reduction(
                    group.mean_harm or 0.0,
                    group.harm_sd,
                    group.n,
                    comparison.mean_harm or 0.0,
                    comparison.harm_sd,
                    comparison.n,
                ),
            ),
        ):
            hidden = group.suppressed or comparison.suppressed
            reduction = Reduction(
                group=group.label,
                measure=measure,
                label=label,
                estimate=None if hidden else estimate,
                suppressed=hidden,
            )
            if not hidden and (estimate is None or estimate.low is None):
                reduction.note = no_interval
            report.reductions.append(reduction)


def change(report: Report) -> None:
    """Among completers with a change assessment: both capacity and motivation; and, by the
    evidence used, reduced physical violence and reduced controlling behaviour (among the men
    who showed the behaviour at baseline and were rated)."""
    assessments = list(
        ChangeAssessment.objects.filter(
            organisation=report.organisation, participant__status=Status.COMPLETED
        ).values(
            "capacity",
            "motivation",
            "ratings",
            "used_group_work",
            "used_individual_sessions",
            "used_partner_feedback",
            "assessed_on",
        )
    )
    minimum = report.organisation.min_cell_size
    both = Share(
        _("Completers showing both the capacity and the motivation to change"),
        n=len(assessments),
        count=sum(1 for a in assessments if a["capacity"] and a["motivation"]),
    )
    shares = [both.finish(minimum)]
    rated = {Rating.REDUCED, Rating.NO_CHANGE, Rating.INCREASED}
    sources = (
        ("used_group_work", _("group work")),
        ("used_individual_sessions", _("individual sessions")),
        ("used_partner_feedback", _("partner feedback")),
    )
    for code, behaviour in (
        (VIOLENCE, _("Reduced physical violence")),
        (CONTROLLING, _("Reduced controlling behaviour")),
    ):
        for flag, source in sources:
            among = [a for a in assessments if a[flag] and a["ratings"].get(code) in rated]
            shares.append(
                Share(
                    _("%(behaviour)s, with evidence from %(source)s")
                    % {"behaviour": behaviour, "source": source},
                    n=len(among),
                    count=sum(1 for a in among if a["ratings"][code] == Rating.REDUCED),
                ).finish(minimum)
            )
    report.change = shares


def build(
    organisation: Organisation,
    *,
    months: int = 12,
    comparison: str = INTERNAL,
    today: datetime.date | None = None,
) -> Report:
    """The whole report. ``comparison`` is ``internal`` (the men assessed suitable who did not
    start) or the id of one of the organisation's comparison cohorts, whose own window then
    applies."""
    cohort = None
    if comparison != INTERNAL:
        cohort = ComparisonCohort.objects.get(organisation=organisation, pk=int(comparison))
        months = cohort.window_months
    if months not in WINDOWS:
        raise ValueError(f"months must be one of {WINDOWS}")
    report = Report(
        organisation=organisation,
        months=months,
        comparison=comparison,
        comparison_label=cohort.name if cohort else _("Assessed suitable, did not start"),
        randomised=cohort.randomised if cohort else organisation.randomised_trial,
        today=today or timezone.localdate(),
    )
    report.women = outcome_figures.paired_table(
        organisation,
        outcome_figures.Filters(),
    )
    change(report)
    reoffending(report, cohort)
    report.notes = notes(report)
    return report


def notes(report: Report) -> dict[str, str]:
    """What each kind of figure can and cannot show, in plain words."""
    if report.randomised:
        comparison = _(
            "The men were allocated at random, so a difference larger than its interval is "
            "likely to be the programme's effect."
        )
    else:
        comparison = _(
            "The groups were not allocated at random: the men in them may differ in ways that "
            "affect re-offending (motivation, risk, circumstances), so a difference shows "
            "association, not proof that the programme caused it. Completers are the most "
            "favourable group; all who started is the fairer comparison."
        )
    return {
        "women": _(
            "Women who answered the partner survey at both baseline and exit. Those who "
            "answered may not be typical of all partners."
        ),
        "change": _(
            "Practitioners' judgement at exit, against what was known at assessment: not an "
            "independent measure. Partner feedback counts only as having been used."
        ),
        "reoffending": _(
            "Only incidents known to the police, probation or the man himself count: abuse "
            "nobody reported, or reported only to the partner support service, is missing. A "
            "man counts once his whole window has passed. Harm uses the organisation's harm "
            "weights (days of custody)."
        ),
        "comparison": comparison,
    }
