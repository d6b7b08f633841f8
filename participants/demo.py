"""Demo cases: a believable mix of men in every status, with referrals, assessments and notes."""

import datetime
import random

from django.utils import timezone

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Role

from . import services
from .models import (
    AssessmentOutcome,
    CaseNoteCategory,
    Participant,
    ReferralSource,
    RiskLevel,
    Status,
    StatusChange,
)

# How many demo cases end in each status, and the path each takes to get there.
PLAN: list[tuple[Status, int]] = [
    (Status.REFERRED, 4),
    (Status.ASSESSMENT, 4),
    (Status.WAITING_LIST, 5),
    (Status.ALLOCATED, 3),
    (Status.IN_PROGRAMME, 6),
    (Status.COMPLETED, 3),
    (Status.UNSUITABLE, 2),
    (Status.NOT_ENGAGED, 2),
    (Status.WITHDRAWN, 1),
    (Status.BREACHED, 1),
    (Status.EXCLUDED, 1),
    (Status.MOVED_AWAY, 1),
]
REASONS = {
    "en": [
        "Pushed his partner during an argument; police attended.",
        "Controlling behaviour reported by children's social worker.",
        "Conviction for assault; programme is a requirement of his order.",
        "Asked for help after his partner left with the children.",
    ],
    "ru": [
        "Побои в отношении супруги, административное дело.",
        "Контролирующее поведение, сообщение органов опеки.",
        "Условное осуждение, посещение программы — обязанность по приговору.",
        "Обратился сам после того, как жена ушла с детьми.",
    ],
}
NOTES = {
    "en": ["Phoned to confirm his assessment.", "Arrived late, engaged well in discussion."],
    "ru": ["Позвонил подтвердить встречу.", "Опоздал, активно участвовал в обсуждении."],
}
EXIT_REASON = {"en": "Recorded in the demo data.", "ru": "Запись демонстрационных данных."}
# Who refers, by referral source: a self-referral is his own, the police refer through the police.
REFERRERS = {
    "en": {
        "court": "Leeds Magistrates' Court",
        "probation": "Probation Service",
        "police": "West Yorkshire Police",
        "police-caution": "West Yorkshire Police, Leeds District",
        "childrens-services": "Children's Social Care",
        "health": "Leeds Community Mental Health Team",
        "self": "Self-referral",
        "other": "Citizens Advice Leeds",
    },
    "ru": {
        "penitentiary-inspectorate": "Филиал УИИ по Ленинскому району",
        "court": "Ленинский районный суд г. Екатеринбурга",
        "police": "Отдел полиции № 1 УМВД России по г. Екатеринбургу",
        "police-administrative": "Отдел полиции № 1 УМВД России по г. Екатеринбургу",
        "minors-commission": "Районная КДН и ЗП",
        "social-protection": "Управление социальной политики № 25",
        "guardianship": "Отдел опеки и попечительства Ленинского района",
        "medical": "Городская поликлиника № 3",
        "ngo": "Кризисный центр «Надежда»",
        "victim": "Сама пострадавшая",
        "self": "Самообращение",
        "other": "Центр социальной помощи семье и детям",
    },
}
# A man who has finished (or left) the programme started in the group that began this many weeks
# ago (sessions.demo builds it), so his referral came before it.
FINISHED_GROUP_WEEKS_AGO = 36
AFTER_PROGRAMME = {Status.COMPLETED, Status.WITHDRAWN, Status.BREACHED, Status.EXCLUDED}
# How long ago, in days, a case in each final status was referred (his journey fits the time).
REFERRED_DAYS_AGO = {
    Status.REFERRED: (2, 12),
    Status.ASSESSMENT: (20, 45),
    Status.WAITING_LIST: (20, 90),
    Status.ALLOCATED: (20, 60),
    Status.IN_PROGRAMME: (50, 120),
    Status.UNSUITABLE: (30, 300),
    Status.NOT_ENGAGED: (30, 300),
    Status.MOVED_AWAY: (30, 300),
}


def referrer_of(source, language: str) -> str:
    """The body that refers through this source, in the demo's language."""
    return REFERRERS[language].get(source.code, REFERRERS[language]["other"])


def at_time(day: datetime.date, time: datetime.time = datetime.time(10, 30)) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def date_history(participant, on: dict[str, datetime.datetime]) -> None:
    """Date his status changes as his journey happened: each change to a status named in ``on``
    takes that moment; his "status since" is the moment of the change to his current status."""
    changes = StatusChange.objects.filter(participant=participant).order_by("changed_at", "pk")
    for change in changes:
        if change.to_status in on:
            StatusChange.objects.filter(pk=change.pk).update(changed_at=on[change.to_status])
    current = (
        StatusChange.objects.filter(participant=participant, to_status=participant.status)
        .order_by("-changed_at", "-pk")
        .first()
    )
    if current is not None:
        Participant.objects.filter(pk=participant.pk).update(status_changed_at=current.changed_at)


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if Participant.objects.filter(organisation=organisation).exists():
            continue
        _seed_organisation(context, spec, organisation)


# Sources whose referrals carry a court or probation order (UK and Russian sets).
COURT_ORDERED = {"court", "probation", "penitentiary-inspectorate"}


def _court_order(rng: random.Random, russian: bool, received: datetime.date) -> dict:
    """What a suspended sentence carries; the order runs its probation from the verdict."""
    effective = received - datetime.timedelta(days=rng.randint(7, 30))
    months = rng.choice([12, 18, 24, 36])
    if russian:
        court = rng.choice(
            ["Ленинский районный суд г. Екатеринбурга", "Мировой суд судебного участка № 3"]
        )
        duties = (
            "Не менять место жительства без уведомления УИИ; пройти программу для лиц, "
            "совершивших насилие."
        )
        inspector = "Инспектор филиала УИИ по Ленинскому району"
        articles = rng.choice(["ст. 116.1 УК РФ", "ст. 119 ч. 1 УК РФ", "ст. 115 ч. 1 УК РФ"])
    else:
        court = rng.choice(["Leeds Magistrates' Court", "Bradford Crown Court"])
        duties = "Attend a domestic abuse programme; do not contact the victim."
        inspector = "Probation officer, Leeds North"
        articles = rng.choice(["s.76 Serious Crime Act 2015", "s.39 Criminal Justice Act 1988"])
    return {
        "court_name": court,
        "court_case_number": f"1-{rng.randint(100, 999)}/{effective.year}",
        "verdict_effective_on": effective,
        "articles": articles,
        "probation_months": months,
        "court_duties": duties,
        "supervising_inspector": inspector,
        "order_start_on": effective,
        "order_end_on": None,
    }


def _seed_organisation(context, spec, organisation) -> None:
    fake = context.faker(spec.faker_locale, f"participants:{spec.slug}")
    rng = random.Random(f"{context.seed}:participants:{spec.slug}")  # noqa: S311 - demo data
    facilitator = context.staff[(spec.slug, Role.FACILITATOR)]
    manager = context.staff[(spec.slug, Role.MANAGER)]
    sources = list(ReferralSource.objects.filter(organisation=organisation))
    categories = list(CaseNoteCategory.objects.filter(organisation=organisation))
    today = timezone.localdate()
    number = 0
    for final_status, count in PLAN:
        for _ in range(count):
            number += 1
            if final_status in AFTER_PROGRAMME:
                started = today - datetime.timedelta(weeks=FINISHED_GROUP_WEEKS_AGO)
                received = started - datetime.timedelta(days=rng.randint(30, 90))
            else:
                received = today - datetime.timedelta(
                    days=rng.randint(*REFERRED_DAYS_AGO[final_status])
                )
            source = rng.choice(sources)
            self_referred = source.code in {"self", "victim"}
            # A court or the inspectorate orders; an administrative battery case never does.
            statutory = source.code in COURT_ORDERED and rng.random() < 0.8
            russian = spec.faker_locale == "ru_RU"
            court = _court_order(rng, russian, received) if statutory else {}
            participant = services.referral_intake(
                organisation=organisation,
                by=facilitator,
                participant_data={
                    "last_name": fake.last_name_male(),
                    "first_name": fake.first_name_male(),
                    "patronymic": fake.middle_name_male() if russian else "",
                    "date_of_birth": fake.date_of_birth(minimum_age=19, maximum_age=64),
                    "phone": fake.phone_number()[:40],
                    "email": f"man{number}@example.org",
                    "preferred_language": spec.language,
                    "reminder_consent": rng.random() < 0.7,
                    "reminder_channel": "sms",
                    "key_worker": facilitator,
                    "children_count": rng.randint(0, 3),
                    "children_ages": "",
                },
                referral_data={
                    "source": source,
                    "referrer_organisation": referrer_of(source, spec.language),
                    "referrer_name": "" if self_referred else fake.name(),
                    "referrer_contact": "" if self_referred else fake.phone_number()[:200],
                    "made_on": received - datetime.timedelta(days=rng.randint(0, 7)),
                    "received_on": received,
                    "reason": rng.choice(REASONS[spec.language]),
                    "is_statutory": statutory,
                    "order_start_on": received - datetime.timedelta(days=14) if statutory else None,
                    "order_end_on": received + datetime.timedelta(days=540) if statutory else None,
                    "consent_to_share": True,
                    **court,
                },
            )
            _walk(participant, final_status, facilitator, manager, received, rng, spec.language)
            services.case_note_add(
                participant=participant,
                by=facilitator,
                category=rng.choice(categories),
                text=rng.choice(NOTES[spec.language]),
            )
            context.count("cases")
            _spread_history(participant, received, today)


def _walk(participant, final_status, facilitator, manager, received, rng, language) -> None:
    """Move a new case along the workflow to its demo status, as staff would have."""
    if final_status == Status.REFERRED:
        return
    if final_status in {Status.MOVED_AWAY, Status.WITHDRAWN} and rng.random() < 0.5:
        services.participant_change_status(
            participant=participant,
            to_status=final_status,
            by=manager,
            reason=EXIT_REASON[language],
        )
        return
    services.assessment_add_appointment(
        participant=participant,
        by=facilitator,
        date=received + datetime.timedelta(days=7),
        attended=True,
        assessor=facilitator,
    )
    if final_status == Status.ASSESSMENT:
        return
    outcome = {
        Status.UNSUITABLE: AssessmentOutcome.UNSUITABLE,
        Status.NOT_ENGAGED: AssessmentOutcome.NOT_ENGAGED,
    }.get(final_status, AssessmentOutcome.SUITABLE)
    services.assessment_decide(
        participant=participant,
        by=manager,
        outcome=outcome,
        reason="" if outcome == AssessmentOutcome.SUITABLE else EXIT_REASON[language],
        risk_level=rng.choice(list(RiskLevel)),
        partner_details_passed_on=received + datetime.timedelta(days=8),
        decided_on=received + datetime.timedelta(days=9),
    )
    path = {
        Status.ALLOCATED: [Status.ALLOCATED],
        Status.IN_PROGRAMME: [Status.ALLOCATED, Status.IN_PROGRAMME],
        Status.COMPLETED: [Status.ALLOCATED, Status.IN_PROGRAMME, Status.COMPLETED],
        Status.WITHDRAWN: [Status.ALLOCATED, Status.IN_PROGRAMME, Status.WITHDRAWN],
        Status.BREACHED: [Status.ALLOCATED, Status.IN_PROGRAMME, Status.BREACHED],
        Status.EXCLUDED: [Status.ALLOCATED, Status.IN_PROGRAMME, Status.EXCLUDED],
        Status.MOVED_AWAY: [Status.MOVED_AWAY],
    }.get(final_status, [])
    for status in path:
        services.participant_change_status(
            participant=participant,
            to_status=status,
            by=manager,
            reason=EXIT_REASON[language] if status in services.REASON_REQUIRED else "",
        )


def _spread_history(participant, received, today) -> None:
    """Date the history as his journey went: an appointment a week after the referral, the
    decision two days later; a move to the programme and out of it a month on, until the
    sessions demo dates it by the sessions he attended."""
    decided = received + datetime.timedelta(days=9)
    on = {
        Status.REFERRED: at_time(received),
        Status.ASSESSMENT: at_time(received + datetime.timedelta(days=7)),
        Status.WAITING_LIST: at_time(decided),
        Status.UNSUITABLE: at_time(decided),
        Status.NOT_ENGAGED: at_time(decided),
        Status.ALLOCATED: at_time(min(decided + datetime.timedelta(days=14), today)),
        Status.IN_PROGRAMME: at_time(min(decided + datetime.timedelta(days=21), today)),
    }
    left = min(decided + datetime.timedelta(days=60), today)
    for status in (Status.MOVED_AWAY, Status.WITHDRAWN, Status.BREACHED, Status.EXCLUDED):
        on[status] = at_time(left)
    on[Status.COMPLETED] = at_time(min(decided + datetime.timedelta(weeks=33), today))
    date_history(participant, on)
