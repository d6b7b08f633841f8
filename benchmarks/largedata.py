"""Large synthetic data for benchmarks (``python -m benchmarks.seed_large``): a coalition-sized
installation of organisations, men, groups, registers, partners, check-ins, surveys and audit
rows.

Everything is written with ``bulk_create`` in batches, so the large size (20,000 men, 400,000
attendance marks, 150,000 check-ins) builds in minutes. The output depends only on the seed
and the day it is run: every random choice comes from ``random.Random`` or a Faker instance
seeded for one purpose. Names are Faker's (``en_GB`` and ``ru_RU``): no real person.
"""

import datetime
import math
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from faker import Faker

from dvpp.models import AuditEvent, Organisation, Role, User
from dvpp.services import organisation_create, user_set_role

BATCH = 2000
SLUG_PREFIX = "large-"


@dataclass(frozen=True)
class Size:
    organisations: int
    men: int
    groups: int
    marks: int
    partners: int
    checkins: int
    responses: int

    @property
    def sessions(self) -> int:
        return self.groups * SESSIONS_PER_GROUP


SESSIONS_PER_GROUP = 30  # the standard programme's 30 weeks, one cycle per group

# The coalition-scale numbers; small is a tenth, tiny (for tests) a hundredth. Two
# organisations at least, so that both languages are always there.
SIZES = {
    "large": Size(20, 20_000, 600, 400_000, 15_000, 150_000, 40_000),
    "small": Size(2, 2_000, 60, 40_000, 1_500, 15_000, 4_000),
    "tiny": Size(2, 200, 6, 4_000, 150, 1_500, 400),
}

FACILITATORS = 4  # per organisation, besides its manager
PARTNER_WORKERS = 2
# Every group of an organisation has its own weekday and start time, so no facilitator is ever
# booked in two groups at once (sessions last 150 minutes).
START_TIMES = [datetime.time(h, m) for h, m in ((9, 0), (11, 30), (14, 0), (16, 30), (19, 0))]
OUTCOMES = (["present"] * 75) + (["late"] * 8) + (["authorised"] * 9) + (["unauthorised"] * 8)
COURT_SOURCES = {"court", "probation", "penitentiary-inspectorate"}
EXIT_REASON = "Synthetic benchmark data."
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
NOTES = {
    "en": ["Text only, never leave voicemail.", "Not after 6 pm. Code word: blue."],
    "ru": ["Только СМС, голосовые не оставлять.", "Не звонить после 18:00. Кодовое слово: синий."],
}
# Final statuses of the men never placed in a group, with their weights.
UNPLACED = [
    ("referred", 3),
    ("assessment", 3),
    ("waiting_list", 4),
    ("unsuitable", 1),
    ("not_engaged", 1),
    ("withdrawn", 1),
    ("moved_away", 1),
]
PATHS = {
    "referred": ["referred"],
    "assessment": ["referred", "assessment"],
    "waiting_list": ["referred", "assessment", "waiting_list"],
    "unsuitable": ["referred", "assessment", "unsuitable"],
    "not_engaged": ["referred", "assessment", "not_engaged"],
    "withdrawn": ["referred", "withdrawn"],
    "moved_away": ["referred", "moved_away"],
    "in_programme": ["referred", "assessment", "waiting_list", "allocated", "in_programme"],
    "completed": [
        "referred",
        "assessment",
        "waiting_list",
        "allocated",
        "in_programme",
        "completed",
    ],
}
EXITS = {"unsuitable", "not_engaged", "withdrawn", "moved_away"}


def split(total: int, parts: int, index: int) -> int:
    """The index-th of ``parts`` near-equal shares of ``total`` (the shares add up exactly)."""
    return total * (index + 1) // parts - total * index // parts


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    password: str = ""

    def add(self, what: str, number: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + number


class Builder:
    """Builds one size of data; ``build`` is the only entry point."""

    def __init__(self, *, size: Size, seed: int, password: str) -> None:
        self.size = size
        self.seed = seed
        self.password = password
        self.result = Result(password=password)
        self.today = timezone.localdate()
        self.audit: list[AuditEvent] = []

    # Helpers -------------------------------------------------------------------------------

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}:{purpose}")

    def faker(self, locale: str, purpose: str) -> Faker:
        fake = Faker(locale)
        fake.seed_instance(f"{self.seed}:{locale}:{purpose}")
        return fake

    def insert(self, model: type[models.Model], rows: Iterable[models.Model], what: str) -> list:
        rows = list(rows)
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.result.add(what, len(rows))
        return rows

    def at(self, day: datetime.date, hour: int = 11, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def log(self, organisation, user, action, object_type, object_id, when) -> None:
        self.audit.append(
            AuditEvent(
                at=when,
                organisation=organisation,
                user=user,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                role=user.role if user else "",
                ip="127.0.0.1",
            )
        )
        if len(self.audit) >= 10 * BATCH:
            self.flush_audit()

    def flush_audit(self) -> None:
        self.insert(AuditEvent, self.audit, "audit events")
        self.audit = []

    # The build -----------------------------------------------------------------------------

    def build(self) -> Result:
        started = time.monotonic()
        if Organisation.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise ValidationError(
                "The large-data organisations already exist. To build the data again, start "
                "from a fresh database (drop and create it, then migrate)."
            )
        validate_password(self.password)  # the one password every large-data user shares
        with transaction.atomic():
            for index in range(self.size.organisations):
                self.build_organisation(index)
            self.flush_audit()
        self.result.seconds = time.monotonic() - started
        return self.result

    def build_organisation(self, index: int) -> None:
        from sessions.curriculum import programme_install_standard

        russian = index % 2 == 1
        number = index + 1
        organisation = organisation_create(
            name=f"Кризисный центр «Нагрузка {number:02d}»"
            if russian
            else f"Large Data Centre {number:02d}",
            slug=f"{SLUG_PREFIX}{number:02d}",
            country=Organisation.Country.RU if russian else Organisation.Country.GB,
            time_zone="Asia/Yekaterinburg" if russian else "Europe/London",
            default_language="ru" if russian else "en",
        )
        self.result.add("organisations", 1)
        staff = self.build_staff(organisation, number, russian)
        programme = programme_install_standard(organisation)
        n = self.size.organisations
        men_count = split(self.size.men, n, index)
        groups = self.build_groups(
            organisation, programme, staff, split(self.size.groups, n, index), index
        )
        men = self.build_men(organisation, staff, men_count, groups, russian, index)
        partners = self.build_partners(
            organisation, staff, men, split(self.size.partners, n, index), russian, index
        )
        self.build_checkins(organisation, staff, partners, index, russian)
        self.build_responses(organisation, staff, men, partners, index)

    def build_staff(self, organisation, number: int, russian: bool) -> dict[str, list[User]]:
        locale = "ru_RU" if russian else "en_GB"
        fake = self.faker(locale, f"staff:{number}")
        plan = [(Role.MANAGER, "manager", 1)]
        plan += [(Role.FACILITATOR, "facilitator", FACILITATORS)]
        plan += [(Role.PARTNER_SUPPORT, "iss", PARTNER_WORKERS)]
        staff: dict[str, list[User]] = {}
        # Hashing a strong password takes a large fraction of a second: every user gets one
        # hash of the shared password, made once (the password was validated at the start).
        for role, suffix, count in plan:
            for n in range(1, count + 1):
                female = fake.boolean()
                if russian:
                    first = fake.first_name_female() if female else fake.first_name_male()
                    last = fake.last_name_female() if female else fake.last_name_male()
                    patronymic = fake.middle_name_female() if female else fake.middle_name_male()
                else:
                    first, last, patronymic = fake.first_name(), fake.last_name(), ""
                username = f"{SLUG_PREFIX}{number:02d}-{suffix}-{n}"
                user = User(
                    username=username,
                    organisation=organisation,
                    role=role,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                    patronymic=patronymic,
                    password=self.password_hash,
                )
                user.full_clean(exclude=["password"])
                user.save()
                user_set_role(user=user, role=role)
                staff.setdefault(suffix, []).append(user)
                self.result.add("staff", 1)
        return staff

    @property
    def password_hash(self) -> str:
        if not hasattr(self, "_password_hash"):
            self._password_hash = make_password(self.password)
        return self._password_hash

    def build_groups(self, organisation, programme, staff, count: int, index: int) -> list:
        """Groups that started 26 to 60 weeks ago, each on its own weekday and time, with their
        30 sessions (most or all of them already past)."""
        from sessions.models import Group, Session

        rng = self.rng(f"groups:{index}")
        themes = list(programme.themes.order_by("number"))
        facilitators = staff["facilitator"]
        slots = [(day, start) for start in START_TIMES for day in range(7)]
        if count > len(slots):
            raise ValidationError(f"At most {len(slots)} groups per organisation.")
        groups = []
        for number, (weekday, start_time) in enumerate(slots[:count], start=1):
            weeks = rng.randint(26, 60)
            start = self.today - datetime.timedelta(weeks=weeks)
            start -= datetime.timedelta(days=(start.weekday() - weekday) % 7)
            groups.append(
                Group(
                    organisation=organisation,
                    programme=programme,
                    name=f"{'Группа' if organisation.default_language == 'ru' else 'Group'} "
                    f"{number}",
                    facilitator=facilitators[number % len(facilitators)],
                    co_facilitator=facilitators[(number + 1) % len(facilitators)],
                    venue=f"Room {number}",
                    weekday=weekday,
                    start_time=start_time,
                    duration_minutes=150,
                    start_date=start,
                    capacity=12,
                    intake=Group.Intake.ROLLING,
                )
            )
        self.insert(Group, groups, "groups")
        sessions = self.insert(
            Session,
            (
                Session(
                    group=group,
                    theme=theme,
                    cycle=1,
                    date=group.start_date + datetime.timedelta(weeks=week),
                    start_time=group.start_time,
                    duration_minutes=group.duration_minutes,
                    status=Session.Status.SCHEDULED,
                )
                for group in groups
                for week, theme in enumerate(themes)
            ),
            "sessions",
        )
        for group in groups:
            group.dated = [s for s in sessions if s.group is group]
            group.past = [s for s in group.dated if s.date < self.today]
        return groups

    def build_men(self, organisation, staff, count, groups, russian, index) -> list:
        """The men, each with one referral and his status history; as many placed in each group
        as its share of the attendance marks needs."""
        from participants.models import Participant, Referral, ReferralSource, StatusChange

        rng = self.rng(f"men:{index}")
        fake = self.faker("ru_RU" if russian else "en_GB", f"men:{index}")
        language = "ru" if russian else "en"
        facilitators = staff["facilitator"]
        manager = staff["manager"][0]
        sources = list(ReferralSource.objects.filter(organisation=organisation).order_by("code"))
        # Which men each group holds: enough for its share of the marks.
        n = self.size.organisations
        mark_total = split(self.size.marks, n, index)
        placements = []  # (group, men in it, marks to make)
        for g, group in enumerate(groups):
            quota = split(mark_total, len(groups), g)
            placements.append((group, math.ceil(quota / len(group.past)), quota))
        placed = sum(size for _, size, _ in placements)
        if placed > count:
            raise ValidationError("Too few men for the groups' attendance marks.")
        plans = []  # (final status, group or None, received on)
        for group, size, _ in placements:
            finished = len(group.past) == len(group.dated)
            for _ in range(size):
                received = group.start_date - datetime.timedelta(days=rng.randint(30, 120))
                plans.append(("completed" if finished else "in_programme", group, received))
        statuses = [status for status, weight in UNPLACED for _ in range(weight)]
        for _ in range(count - placed):
            received = self.today - datetime.timedelta(days=rng.randint(14, 900))
            plans.append((rng.choice(statuses), None, received))
        rng.shuffle(plans)
        men = []
        for number, (status, group, received) in enumerate(plans, start=1):
            last, first = fake.last_name_male(), fake.first_name_male()
            patronymic = fake.middle_name_male() if russian else ""
            reference = f"{number:05d}"
            man = Participant(
                organisation=organisation,
                reference=reference,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                date_of_birth=self.today - datetime.timedelta(days=rng.randint(19 * 365, 64 * 365)),
                phone=fake.phone_number()[:40],
                email=f"man{number}.{organisation.slug}@example.org",
                preferred_language=language,
                reminder_consent=True,
                reminder_channel="sms",
                status=status,
                key_worker=rng.choice(facilitators),
                children_count=rng.randint(0, 3),
                created_by=facilitators[0],
            )
            man.plan = (status, group, received)
            men.append(man)
        # Status history dates: a placed man moves along as his group starts; others spread out.
        for man in men:
            status, group, received = man.plan
            if group is not None:
                steps = [received, received + datetime.timedelta(days=10)]
                steps += [received + datetime.timedelta(days=20)]
                steps += [group.start_date - datetime.timedelta(days=7), group.start_date]
                if status == "completed":
                    steps.append(group.dated[-1].date)
            else:
                steps, day = [], received
                for _ in PATHS[status]:
                    steps.append(min(day, self.today))
                    day += datetime.timedelta(days=rng.randint(7, 30))
            man.steps = [self.at(day, 10, 30) for day in steps]
            man.status_changed_at = man.steps[-1]
        self.insert(Participant, men, "men")
        Organisation.objects.filter(pk=organisation.pk).update(case_counter=len(men))
        referrals, changes = [], []
        for man in men:
            status, group, received = man.plan
            source = rng.choice(sources)
            statutory = source.code in COURT_SOURCES
            referrals.append(
                Referral(
                    organisation=organisation,
                    participant=man,
                    source=source,
                    referrer_organisation=(source.label_ru if russian else "") or source.label_en,
                    referrer_name=fake.name(),
                    referrer_contact=fake.phone_number()[:200],
                    made_on=received - datetime.timedelta(days=rng.randint(0, 7)),
                    received_on=received,
                    reason=rng.choice(REASONS[language]),
                    is_statutory=statutory,
                    order_start_on=received - datetime.timedelta(days=14) if statutory else None,
                    order_end_on=received + datetime.timedelta(days=540) if statutory else None,
                    consent_to_share=True,
                    created_by=man.created_by,
                )
            )
            previous = ""
            for to_status, when in zip(PATHS[status], man.steps, strict=True):
                changes.append(
                    StatusChange(
                        participant=man,
                        from_status=previous,
                        to_status=to_status,
                        changed_at=when,
                        changed_by=manager if previous else man.created_by,
                        reason="Referral received"
                        if not previous
                        else (EXIT_REASON if to_status in EXITS else ""),
                    )
                )
                previous = to_status
            self.log(
                organisation,
                man.created_by,
                AuditEvent.Action.CREATE,
                "participants.participant",
                man.public_id,
                man.steps[0],
            )
        self.insert(Referral, referrals, "referrals")
        self.insert(StatusChange, changes, "status changes")
        self.build_registers(organisation, men, placements, rng)
        return men

    def build_registers(self, organisation, men, placements, rng) -> None:
        """Each placed man's enrolment from his group's first session, and the marks of past
        sessions in date order until the group's share is reached; a VIEW of the register for
        every ten marks."""
        from sessions.models import Attendance, Enrolment

        by_group: dict[int, list] = {}
        for man in men:
            if man.plan[1] is not None:
                by_group.setdefault(id(man.plan[1]), []).append(man)
        enrolments = []
        for group, _, _ in placements:
            finished = len(group.past) == len(group.dated)
            for man in by_group.get(id(group), []):
                enrolment = Enrolment(
                    organisation=organisation,
                    participant=man,
                    group=group,
                    first_session=group.dated[0],
                    state=Enrolment.State.FINISHED if finished else Enrolment.State.ACTIVE,
                    ended_on=group.dated[-1].date if finished else None,
                    created_by=group.facilitator,
                )
                man.enrolment = enrolment
                enrolments.append(enrolment)
        self.insert(Enrolment, enrolments, "enrolments")
        marks: list[Attendance] = []
        made = 0
        for group, _, quota in placements:
            placed = by_group.get(id(group), [])
            left = quota
            for session in group.past:
                when = self.at(session.date, session.start_time.hour, session.start_time.minute)
                for man in placed:
                    if not left:
                        break
                    marks.append(
                        Attendance(
                            organisation=organisation,
                            session=session,
                            participant=man,
                            enrolment=man.enrolment,
                            outcome=rng.choice(OUTCOMES),
                            marked_by=group.facilitator,
                            marked_at=when,
                        )
                    )
                    left -= 1
                    made += 1
                    if made % 10 == 0:
                        self.log(
                            organisation,
                            group.facilitator,
                            AuditEvent.Action.VIEW,
                            "sessions.session",
                            session.public_id,
                            when,
                        )
                if len(marks) >= 5 * BATCH:
                    self.insert(Attendance, marks, "attendance marks")
                    marks = []
        self.insert(Attendance, marks, "attendance marks")

    def build_partners(self, organisation, staff, men, count, russian, index) -> list:
        from partners.models import Partner

        rng = self.rng(f"partners:{index}")
        fake = self.faker("ru_RU" if russian else "en_GB", f"partners:{index}")
        language = "ru" if russian else "en"
        workers = staff["iss"]
        partners = []
        for man in sorted(rng.sample(men, count), key=lambda m: m.reference):
            last = fake.last_name_female() if russian else fake.last_name()
            first = fake.first_name_female()
            patronymic = fake.middle_name_female() if russian else ""
            partners.append(
                Partner(
                    organisation=organisation,
                    participant=man,
                    last_name=last,
                    first_name=first,
                    patronymic=patronymic,
                    relationship=rng.choice(list(Partner.Relationship)),
                    living_together=rng.random() < 0.4,
                    phone=fake.phone_number(),
                    email=fake.safe_email(),  # example.org/.com/.net only
                    address=fake.address().replace("\n", ", "),
                    safe_contact_method=rng.choice(list(Partner.ContactMethod)),
                    safe_contact_notes=rng.choice(NOTES[language]),
                    language=language,
                    children_count=rng.randint(0, 3),
                    consent_to_contact=True,
                    referred_on=man.plan[2],  # passed to partner support with his referral
                    state=Partner.State.ENGAGED,
                    worker=rng.choice(workers),
                    risk_level=rng.choice(["low", "medium", "medium", "high"]),
                )
            )
        self.insert(Partner, partners, "partners")
        for partner in partners:
            self.log(
                organisation,
                partner.worker,
                AuditEvent.Action.CREATE,
                "partners.partner",
                partner.public_id,
                partner.participant.steps[0],
            )
        return partners

    def build_checkins(self, organisation, staff, partners, index, russian) -> None:
        """Ten check-ins a partner on average (pairs of partners share twenty), dated between
        her partner's referral and today, after the call that first reached her."""
        from partners.models import CheckIn, ContactAttempt

        rng = self.rng(f"checkins:{index}")
        language = "ru" if russian else "en"
        n = self.size.organisations
        total = split(self.size.checkins, n, index)
        rows, reached = [], []
        for p, partner in enumerate(partners):
            count = split(total, len(partners), p)
            first = partner.participant.plan[2] + datetime.timedelta(days=7)
            reached.append(
                ContactAttempt(
                    partner=partner,
                    at=self.at(first - datetime.timedelta(days=1), 10),
                    method="call",
                    outcome=ContactAttempt.Outcome.REACHED,
                    by=partner.worker,
                )
            )
            span = max((self.today - first).days, 1)
            days = sorted(rng.randint(0, span) for _ in range(count))
            for offset in days:
                day = min(first + datetime.timedelta(days=offset), self.today)
                rows.append(
                    CheckIn(
                        partner=partner,
                        on=day,
                        method=rng.choice(["call", "call", "text", "in_person"]),
                        feels_safe=rng.choice(["very", "fairly", "fairly", "not_very"]),
                        incidents=rng.choice([[], [], [], ["emotional"], ["coercive", "threats"]]),
                        actions=rng.choice(SAID[language]),
                        risk_level_after=partner.risk_level,
                        next_due=day + datetime.timedelta(days=21),
                        by=partner.worker,
                    )
                )
        self.insert(ContactAttempt, reached, "contact attempts")
        self.insert(CheckIn, rows, "check-ins")
        for checkin in rows:
            self.log(
                organisation,
                checkin.by,
                AuditEvent.Action.CREATE,
                "partners.checkin",
                checkin.pk,
                self.at(checkin.on, 15),
            )

    def build_responses(self, organisation, staff, men, partners, index) -> None:
        """Partner surveys at baseline for every partner and at exit for some; men's own surveys
        at baseline and exit. Of 40,000: 15,000 + 10,000 + 10,000 + 5,000."""
        from outcomes.models import Answer, Instrument, Question, Response

        rng = self.rng(f"responses:{index}")
        n = self.size.organisations
        size = self.size
        rest = size.responses - size.partners
        partner_exit = split(rest * 2 // 5, n, index)
        men_baseline = split(rest * 2 // 5, n, index)
        men_exit = split(rest - 2 * (rest * 2 // 5), n, index)
        survey = Instrument.objects.get(organisation=organisation, code="partner-safety")
        men_survey = Instrument.objects.get(organisation=organisation, code="men-self-report")
        questions = {
            instrument.pk: [
                q
                for q in Question.objects.filter(instrument=instrument).order_by("number")
                if q.kind != Question.Kind.TEXT
            ]
            for instrument in (survey, men_survey)
        }
        worker = staff["iss"][0]
        facilitator = staff["facilitator"][0]
        responses = []

        def respond(instrument, wave, man, partner, on, by):
            responses.append(
                Response(
                    organisation=organisation,
                    instrument=instrument,
                    instrument_code=instrument.code,  # what save() would set
                    wave=wave,
                    participant=man,
                    partner=partner,
                    person_key=f"p{partner.pk}" if partner else f"m{man.pk}",
                    answered_on=min(on, self.today),
                    entered_by=by,
                )
            )

        for partner in partners:
            on = partner.participant.plan[2] + datetime.timedelta(days=10)
            respond(survey, "baseline", partner.participant, partner, on, worker)
        for partner in partners[:partner_exit]:
            on = partner.participant.steps[-1].date() + datetime.timedelta(days=7)
            respond(survey, "exit", partner.participant, partner, on, worker)
        answering = rng.sample(men, men_baseline)
        for man in answering:
            on = man.plan[2] + datetime.timedelta(days=10)
            respond(men_survey, "baseline", man, None, on, facilitator)
        for man in answering[:men_exit]:
            on = man.steps[-1].date() + datetime.timedelta(days=7)
            respond(men_survey, "exit", man, None, on, facilitator)
        self.insert(Response, responses, "survey responses")
        answers = []
        for response in responses:
            better = response.wave == "exit"
            for question in questions[response.instrument_id]:
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        question_code=question.code,
                        value=_answer(rng, question, better),
                    )
                )
            self.log(
                organisation,
                response.entered_by,
                AuditEvent.Action.CREATE,
                "outcomes.response",
                response.pk,
                self.at(response.answered_on, 16),
            )
            if len(answers) >= 5 * BATCH:
                self.insert(Answer, answers, "survey answers")
                answers = []
        self.insert(Answer, answers, "survey answers")


def _answer(rng: random.Random, question, better: bool) -> str:
    """A plausible answer; at exit the answers lean towards the safer ones."""
    kind = question.kind
    if kind == "yes_no":
        return "yes" if rng.random() < (0.1 if better else 0.5) else "no"
    if kind == "frequency":
        return (
            "never"
            if rng.random() < (0.7 if better else 0.3)
            else rng.choice(["once", "few", "often"])
        )
    if kind == "choice":
        values = [option[0] for option in question.options]
        return values[0] if better and rng.random() < 0.5 else rng.choice(values)
    if kind == "scale":
        low, high = question.options
        middle = (low + high) // 2
        return str(rng.randint(middle, high) if better else rng.randint(low, middle))
    return str(rng.randint(0, 5))


def build(*, size: str, seed: int, password: str) -> Result:
    """Build one size of the large synthetic data; refused when it already exists."""
    return Builder(size=SIZES[size], seed=seed, password=password).build()
