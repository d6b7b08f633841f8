"""Demo partners: most demo men have a partner or ex-partner, reached or not yet, with check-ins
spread over the months and a few high-risk cases with a MARAC referral. All synthetic."""

import datetime
import random

from django.utils import timezone

from consent.models import ConsentTemplate, Purpose, Subject
from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Role
from participants.models import Participant, Status

from . import services
from .models import (
    CheckIn,
    ContactAttempt,
    MaracReferral,
    Partner,
    PartnerConsent,
    PartnerTask,
    RiskChecklist,
    SafetyPlan,
)

NOTES = {
    "en": [
        "Text only, never leave voicemail.",
        "Not after 6 pm. Code word: blue.",
        "Call her work number on weekdays only.",
    ],
    "ru": [
        "Только СМС, голосовые не оставлять.",
        "Не звонить после 18:00. Кодовое слово: синий.",
        "Звонить только в будни на рабочий номер.",
    ],
}
SAID = {
    "en": [
        "She says things are calmer at home.",
        "He turned up at her work; she called police.",
        "She is looking for a new flat with the children.",
    ],
    "ru": [
        "Говорит, что дома стало спокойнее.",
        "Он пришёл к ней на работу, она вызвала полицию.",
        "Ищет новую квартиру для себя и детей.",
    ],
}


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if Partner.objects.filter(organisation=organisation).exists():
            continue
        fake = context.faker(spec.faker_locale, f"partners:{spec.slug}")
        rng = random.Random(f"{context.seed}:partners:{spec.slug}")  # noqa: S311 - demo data
        worker = context.staff[(spec.slug, Role.PARTNER_SUPPORT)]
        checklist = RiskChecklist.objects.get(organisation=organisation, is_current=True)
        men = Participant.objects.filter(organisation=organisation).prefetch_related("referrals")
        awaiting = None  # one partner not reached past the limit: she heads the awaiting list
        for index, man in enumerate(men.order_by("reference")):
            if index % 4 == 3:
                continue  # about a quarter have no known partner
            if awaiting is None and man.status == Status.ASSESSMENT:
                awaiting = man
            _seed_partner(
                context, spec, organisation, man, worker, checklist, fake, rng, man == awaiting
            )
    seed_today(context)
    _seed_consents(context)


def _seed_consents(context: DemoContext) -> None:
    """Most partners consented to support, in person; a few have not yet, so her record shows
    the warning in the demo too."""
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if PartnerConsent.objects.filter(organisation=organisation).exists():
            continue
        rng = random.Random(f"{context.seed}:consent:partners:{spec.slug}")  # noqa: S311 - demo
        template = ConsentTemplate.objects.get(
            organisation=organisation,
            subject=Subject.PARTNER,
            purpose=Purpose.SUPPORT,
            is_current=True,
        )
        worker = context.staff[(spec.slug, Role.PARTNER_SUPPORT)]
        hers = [
            PartnerConsent(
                organisation=organisation,
                template=template,
                given_on=partner.created_at.date(),
                how="in_person",
                valid_until=template.valid_until(partner.created_at.date()),
                recorded_by=worker,
                partner=partner,
            )
            for partner in Partner.objects.filter(organisation=organisation)
            if rng.random() < 0.8
        ]
        PartnerConsent.objects.bulk_create(hers)
        context.count("consents", len(hers))


def _seed_partner(
    context, spec, organisation, man, worker, checklist, fake, rng, unreached=False
) -> None:
    russian = spec.faker_locale == "ru_RU"
    # Passed to partner support with his latest referral: the clock of first contact starts then.
    referred = max(r.received_on for r in man.referrals.all())
    partner = services.partner_create(
        organisation=organisation,
        by=worker,
        participant=man,
        data={
            "last_name": fake.last_name_female() if russian else fake.last_name(),
            "first_name": fake.first_name_female(),
            "patronymic": fake.middle_name_female() if russian else "",
            "relationship": rng.choice(list(Partner.Relationship)),
            "living_together": rng.random() < 0.4,
            "phone": fake.phone_number(),
            "email": fake.email(),
            "address": fake.address().replace("\n", ", "),
            "safe_contact_method": rng.choice(list(Partner.ContactMethod)),
            "safe_contact_notes": rng.choice(NOTES[spec.language]),
            "language": spec.language,
            "children_count": rng.randint(0, 3),
            "worker": worker,
            "referred_on": referred,
        },
    )
    context.count("partners")
    today = timezone.localdate()
    if (today - referred).days < 14 and rng.random() < 0.7:
        return  # not yet contacted: she appears on the awaiting-contact list
    if unreached:
        # Tried twice, never reached: past the limit she is on the awaiting-contact list.
        for days in (2, 5):
            services.contact_attempt_record(
                partner=partner,
                by=worker,
                at=timezone.make_aware(
                    datetime.datetime.combine(
                        referred + datetime.timedelta(days=days), datetime.time(11, 0)
                    )
                ),
                method="call",
                outcome=ContactAttempt.Outcome.NO_ANSWER,
            )
        return
    first = timezone.make_aware(
        datetime.datetime.combine(
            referred + datetime.timedelta(days=rng.randint(1, 12)), datetime.time(11, 0)
        )
    )
    first = min(first, timezone.now() - datetime.timedelta(hours=1))
    services.contact_attempt_record(
        partner=partner,
        by=worker,
        at=first - datetime.timedelta(days=1),
        method="call",
        outcome=ContactAttempt.Outcome.NO_ANSWER,
    )
    services.contact_attempt_record(
        partner=partner, by=worker, at=first, method="call", outcome=ContactAttempt.Outcome.REACHED
    )
    high = rng.random() < 0.15
    yes = rng.sample(range(1, 25), 15 if high else rng.randint(2, 9))
    services.risk_assess(
        partner=partner,
        by=worker,
        checklist=checklist,
        answers={n: "yes" if n in yes else "no" for n in range(1, 25)},
        assessed_on=timezone.localtime(first).date(),
    )
    day = timezone.localtime(first).date()
    checkins = []
    while day < today - datetime.timedelta(days=14):
        day += datetime.timedelta(days=rng.randint(14, 28))
        if day > today:
            break
        checkins.append(
            CheckIn(
                partner=partner,
                on=day,
                method="call",
                feels_safe=rng.choice(["very", "fairly", "fairly", "not_very"]),
                incidents=rng.choice([[], [], [], ["emotional"], ["coercive", "threats"]]),
                actions=rng.choice(SAID[spec.language]),
                risk_level_after=partner.risk_level or "medium",
                next_due=day + datetime.timedelta(days=21),
                by=worker,
            )
        )
    CheckIn.objects.bulk_create(checkins)


def seed_today(context: DemoContext) -> None:
    """What partner support and the facilitator find on their home pages the day the demo is
    seeded, whatever day that is: a check-in due today and one overdue, a partner to contact
    today after his missed session, an open MARAC referral (and the risk flag it raises on his
    case), and a safety plan due for review. Nothing is added where one already exists."""
    today = timezone.localdate()
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        worker = context.staff[(spec.slug, Role.PARTNER_SUPPORT)]
        engaged = list(
            Partner.objects.filter(
                organisation=organisation,
                state=Partner.State.ENGAGED,
                participant__status=Status.IN_PROGRAMME,
            ).order_by("participant__reference", "pk")
        )
        if len(engaged) < 4:
            continue
        due_today, overdue, to_contact, high_risk = engaged[:4]
        _last_checkin_due(due_today, today, worker)
        _last_checkin_due(overdue, today - datetime.timedelta(days=5), worker)
        if not PartnerTask.objects.filter(
            partner__organisation=organisation, done_at__isnull=True, due_on=today
        ).exists():
            services.risk_event(
                participant=to_contact.participant,
                reason=PartnerTask.Reason.ABSENCE,
                key=f"demo-absence:{today.isoformat()}",
            )
        if not MaracReferral.objects.filter(
            partner__organisation=organisation, outcome="", referred_on__isnull=True
        ).exists():
            checklist = RiskChecklist.objects.get(organisation=organisation, is_current=True)
            services.risk_assess(
                partner=high_risk,
                by=worker,
                checklist=checklist,
                yes_items=list(range(1, checklist.high_risk_threshold + 1)),
                assessed_on=today,
            )
        if not SafetyPlan.objects.filter(
            partner__organisation=organisation, review_on__lte=today
        ).exists():
            services.safety_plan_save(
                partner=high_risk,
                by=worker,
                sections={"safe_places": SAFE_PLACE[spec.language]},
                review_on=today,
            )


SAFE_PLACE = {"en": "Her sister's flat.", "ru": "Квартира сестры."}


def _last_checkin_due(partner: Partner, due: datetime.date, worker) -> None:
    """Her next check-in falls due on that day: her last check-in's date for the next one."""
    last = CheckIn.objects.filter(partner=partner).order_by("-on", "-pk").first()
    if last is None:
        on = min(due - datetime.timedelta(days=21), timezone.localdate())
        CheckIn.objects.create(
            partner=partner,
            on=on,
            method="call",
            feels_safe="fairly",
            incidents=[],
            actions="",
            risk_level_after=partner.risk_level or "medium",
            next_due=due,
            by=worker,
        )
    elif last.next_due != due:
        CheckIn.objects.filter(pk=last.pk).update(next_due=due)
