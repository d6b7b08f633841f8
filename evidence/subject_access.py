"""His incidents after referral and his change assessment, for his subject-access package; the
incidents she reported, for hers (through ``dvpp.hooks.subject_access_sections``).

An incident she reported to the partner support service is left out of his: he is the reader,
and its date alone could tell him when she spoke."""

from django.utils.translation import gettext as _

from dvpp.subject_access import Section, choice, columns
from participants.models import Participant
from partners.models import Partner

from .models import ChangeAssessment, Incident, Rating


def evidence_sections(participant) -> list[Section]:
    incidents = (
        Incident.objects.filter(participant=participant)
        .exclude(known_via=Incident.KnownVia.PARTNER_SUPPORT)
        .select_related("category")
        .order_by("occurred_on", "pk")
    )
    assessments = ChangeAssessment.objects.filter(participant=participant).select_related(
        "instrument"
    )
    return [
        Section(
            "incidents",
            _("Incidents after referral"),
            columns(Incident, "occurred_on", "known_via", "category", "police_involved", "outcome"),
            [
                {
                    "occurred_on": i.occurred_on,
                    "known_via": choice(i, "known_via"),
                    "category": i.category.label,
                    "police_involved": i.police_involved,
                    "outcome": choice(i, "outcome"),
                }
                for i in incidents
            ],
        ),
        Section(
            "change_assessment",
            _("Change assessment at exit"),
            [
                *columns(ChangeAssessment, "assessed_on", "capacity", "motivation"),
                ("ratings", _("Behaviours against baseline")),
                # Whether partner feedback was used is left out: it would tell him she spoke.
                *columns(ChangeAssessment, "used_group_work", "used_individual_sessions"),
            ],
            [
                {
                    "assessed_on": a.assessed_on,
                    "capacity": a.capacity,
                    "motivation": a.motivation,
                    "ratings": "; ".join(
                        f"{label}: {Rating(a.ratings[code]).label}"
                        for code, label in a.instrument.behaviour_labels()
                        if code in a.ratings
                    ),
                    "used_group_work": a.used_group_work,
                    "used_individual_sessions": a.used_individual_sessions,
                }
                for a in assessments
            ],
        ),
    ]


def reported_section(partner) -> Section:
    """For her own package: the incidents she reported to the partner support service."""
    reported = (
        Incident.objects.filter(reported_by=partner)
        .select_related("category")
        .order_by("occurred_on", "pk")
    )
    return Section(
        "reported_incidents",
        _("Incidents she reported"),
        columns(Incident, "occurred_on", "category", "police_involved", "outcome"),
        [
            {
                "occurred_on": i.occurred_on,
                "category": i.category.label,
                "police_involved": i.police_involved,
                "outcome": choice(i, "outcome"),
            }
            for i in reported
        ],
    )


def sections(*, subject) -> list[Section]:
    """The receiver of ``hooks.subject_access_sections``."""
    if isinstance(subject, Participant):
        return evidence_sections(subject)
    if isinstance(subject, Partner):
        return [reported_section(subject)]
    return []
