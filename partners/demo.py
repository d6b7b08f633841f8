"""Demo partners: most demo men have a partner or ex-partner, reached or not yet, with check-ins
spread over the months and a few high-risk cases with a MARAC referral. All synthetic."""

import datetime
import random

from django.utils import timezone

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Role
from participants.models import Participant

from . import services
from .models import CheckIn, ContactAttempt, Partner, RiskChecklist

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
        for index, man in enumerate(men.order_by("reference")):
            if index % 4 == 3:
                continue  # about a quarter have no known partner
            _seed_partner(context, spec, organisation, man, worker, checklist, fake, rng)


def _seed_partner(context, spec, organisation, man, worker, checklist, fake, rng) -> None:
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
