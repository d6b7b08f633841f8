"""Demo survey responses: partners of men whose cases have closed answered at baseline and at
exit, with answers that improve as the research describes; some men answered their own survey.

Saved as the paper surveys of the past are (:func:`outcomes.services.response_save`): a demo
history, not a survey entered by anyone, so no audit row of its own."""

import datetime
import random

from django.utils import timezone

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from participants.models import CLOSED_STATUSES, Participant
from partners.models import Partner

from . import services
from .models import Instrument, Response


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if Response.objects.filter(organisation=organisation).exists():
            continue
        rng = random.Random(f"{context.seed}:outcomes:{spec.slug}")  # noqa: S311 - demo data
        survey = Instrument.objects.get(organisation=organisation, code="partner-safety")
        men_survey = Instrument.objects.get(organisation=organisation, code="men-self-report")
        today = timezone.localdate()
        for partner in Partner.objects.filter(organisation=organisation).select_related(
            "participant"
        ):
            man = partner.participant
            started = man.status_changed_at.date() - datetime.timedelta(days=120)
            services.response_save(
                instrument=survey,
                wave="baseline",
                participant=man,
                partner=partner,
                answered_on=min(started, today),
                answers=_partner(rng, before=True),
                by=None,
            )
            context.count("survey responses")
            if man.status in CLOSED_STATUSES:
                services.response_save(
                    instrument=survey,
                    wave="exit",
                    participant=man,
                    partner=partner,
                    answered_on=today,
                    answers=_partner(rng, before=False),
                    by=None,
                )
                context.count("survey responses")
        for man in Participant.objects.filter(organisation=organisation)[:20]:
            services.response_save(
                instrument=men_survey,
                wave="baseline",
                participant=man,
                answered_on=today,
                by=None,
                answers={
                    "violence": rng.choice(["once", "few", "often"]),
                    "controlling": rng.choice(["few", "often"]),
                    "responsibility": str(rng.randint(1, 3)),
                    "children_impact": "no",
                },
            )


def _partner(rng, *, before: bool) -> dict:
    def often(p_before, p_after):
        return (
            rng.choice(["once", "few", "often"])
            if rng.random() < (p_before if before else p_after)
            else "never"
        )

    return {
        "injured": "yes" if rng.random() < (0.6 if before else 0.05) else "no",
        "feels_safe": rng.choice(
            ["not_very", "not_at_all", "fairly", "very"]
            if before
            else ["very", "very", "fairly", "not_very"]
        ),
        "physical": often(0.7, 0.1),
        "sexual": often(0.3, 0.0),
        "threats": often(0.6, 0.1),
        "weapon": "yes" if rng.random() < (0.3 if before else 0.0) else "no",
        "controlling": often(0.9, 0.3),
        "harassment": often(0.6, 0.2),
        "children_exposure": often(0.6, 0.1),
        "space_for_action": str(rng.randint(1, 5) if before else rng.randint(5, 10)),
    }
