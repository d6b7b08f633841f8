"""Every URL of the project, built with real ids: the shared net of the security tests.

:func:`object_url_entries` reads every dict of ``tests/access_matrix.py`` whose rows are
``(method, roles)`` — the pages about one object — so a dict or a row added there is covered
here without a change. :data:`BUILDERS` says, for each dict, which object of a :class:`World`
each URL is about; a dict or a URL no builder knows fails loudly (:class:`UnknownURL`), so a new
kind of URL is noticed rather than skipped. :data:`BODIES` holds a valid form for every URL that
writes, so that "nothing was saved" means something: the same body from the right user does
save (``test_the_net_is_real`` in test_other_organisation.py).
"""

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from consent import services as consent_services
from consent.models import ConsentTemplate, ManConsent
from evidence.models import IncidentCategory
from library import services as library_services
from library.models import Package
from participants.models import (
    CaseTask,
    ExitReason,
    Participant,
    RetentionRecord,
    RiskFlag,
    Status,
)
from partners import services as partner_services
from partners.models import ContactAttempt, MaracReferral, Partner, PartnerConsent, PartnerTask
from sessions import selectors as session_selectors
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from sessions.models import Enrolment, Group, Handout, Session
from tests import access_matrix
from tests.conftest import Personas
from tests.factories import ParticipantFactory, ReferralFactory, category_of, source_of

# Apps whose rows are case data: a refused request must leave every one of their rows as it was.
# The library's packages are no case data, but a refused publication must change nothing either.
CASE_APPS = (
    "participants",
    "partners",
    "group_sessions",
    "outcomes",
    "consent",
    "evidence",
    "library",
)


class UnknownURL(AssertionError):
    """A URL the security net cannot build: add a builder (or a body) in tests/security/urls.py."""


@dataclass
class World:
    """One organisation's records, enough to open every object URL of the project."""

    personas: Personas
    case: Participant  # referred, with a partner, an open task and a risk flag
    case_task: CaseTask
    flag: RiskFlag
    group: Group
    other_group: Group  # same programme: somewhere to move a place to
    member: Participant  # has a place in ``group`` since its first session
    enrolment: Enrolment
    past_session: Session  # held, with ``member`` on its register
    future_session: Session  # not yet held, no marks: may be cancelled or moved
    waiting: Participant  # on the waiting list: may be allocated
    partner: Partner  # the case's ex-partner, reached
    marac: MaracReferral
    partner_task: PartnerTask
    consent: ManConsent  # the case's consent to the programme, not withdrawn
    partner_consent: PartnerConsent  # her consent to support, not withdrawn
    destruction: RetentionRecord  # an earlier case anonymised by retention
    exit_reason: ExitReason  # an entry of one of the organisation's lists, used by nothing
    consent_template: ConsentTemplate  # the current template of that consent
    handout: Handout  # of week 1 of the groups' programme
    package: Package  # that programme, published to the organisation's coalition


def _group(personas: Personas, programme, name: str, start: datetime.date, hour: int) -> Group:
    return session_services.group_create(
        organisation=personas.organisation,
        by=personas.manager,
        data={
            "programme": programme,
            "name": name,
            "facilitator": personas.facilitator,
            "co_facilitator": None,
            "venue": "Room 1",
            "weekday": start.weekday(),
            "start_time": datetime.time(hour, 0),
            "duration_minutes": 120,
            "start_date": start,
            "capacity": 12,
            "intake": "rolling",
        },
    )


def _man(personas: Personas, **fields) -> Participant:
    # The case number comes from the organisation's counter, as intake takes it: a factory's own
    # numbering would collide with a case opened through the intake page later in the test.
    organisation = personas.organisation
    organisation.case_counter += 1
    organisation.save(update_fields=["case_counter"])
    reference = f"{organisation.case_counter:05d}"
    man = ParticipantFactory(organisation=organisation, reference=reference, **fields)
    ReferralFactory(participant=man)
    return man


def build_world(personas: Personas) -> World:
    today = timezone.localdate()
    case = _man(personas)
    case_task, _ = CaseTask.objects.get_or_create(
        participant=case,
        kind=CaseTask.Kind.COMPLIANCE_REVIEW,
        key="security-net",
        defaults={"organisation_id": personas.organisation.pk},
    )
    flag = RiskFlag.objects.create(
        organisation=personas.organisation, participant=case, raised_on=today
    )
    programme = programme_install_standard(personas.organisation)
    handout = Handout(
        theme=programme.themes.get(number=1), title_en="Worksheet", title_ru="Рабочий лист"
    )
    handout.file.save("worksheet.txt", ContentFile(b"What I want to change.\n"), save=True)
    package = library_services.package_publish(
        organisation=personas.organisation,
        by=personas.manager,
        coalition=personas.coalition_analyst.coalition,
        programme=programme,
        instruments=[],
        change_note_en="First version",
    )
    started = today - datetime.timedelta(weeks=1)
    group = _group(personas, programme, "Net group", started, 18)
    other_group = _group(personas, programme, "Other group", started, 10)
    member = _man(personas, status=Status.WAITING_LIST)
    first = group.sessions.order_by("date")[0]
    enrolment = session_services.enrolment_allocate(
        participant=member, group=group, by=personas.manager, first_session=first
    )
    # A second man on the register, left unmarked: "All present" has someone to mark.
    session_services.enrolment_allocate(
        participant=_man(personas, status=Status.WAITING_LIST),
        group=group,
        by=personas.manager,
        first_session=first,
    )
    future = group.sessions.filter(date__gt=today, status=Session.Status.SCHEDULED).order_by(
        "date"
    )[0]
    waiting = _man(personas, status=Status.WAITING_LIST)
    partner = partner_services.partner_create(
        organisation=personas.organisation,
        by=personas.partner_support,
        participant=case,
        # Names long and odd enough that no random token (a CSRF token on every page) can hold
        # them by chance: tests look for them in pages where they must not be.
        data={
            "last_name": "Zqxnetherby-Partner-Marker",
            "first_name": "Zqxaraminta-Given-Marker",
            "relationship": "ex_partner",
        },
    )
    partner_services.contact_attempt_record(
        partner=partner,
        by=personas.partner_support,
        at=timezone.now() - datetime.timedelta(days=2),
        method="call",
        outcome=ContactAttempt.Outcome.REACHED,
    )
    marac = MaracReferral.objects.create(partner=partner)
    partner_task, _ = PartnerTask.objects.get_or_create(
        partner=partner,
        kind=PartnerTask.Kind.CONTACT_TODAY,
        key="security-net",
        defaults={"reason": PartnerTask.Reason.ABSENCE, "due_on": today},
    )
    consent_template = ConsentTemplate.objects.get(
        organisation=personas.organisation, subject="man", purpose="programme", is_current=True
    )
    consent = consent_services.man_consent_give(
        participant=case,
        template=consent_template,
        given_on=today,
        how="in_person",
        by=personas.facilitator,
    )
    partner_consent = partner_services.partner_consent_give(
        partner=partner,
        template=ConsentTemplate.objects.get(
            organisation=personas.organisation, subject="partner", purpose="support"
        ),
        given_on=today,
        how="in_person",
        by=personas.partner_support,
    )
    destruction = RetentionRecord.objects.create(
        organisation=personas.organisation, reference="00001", object_id=str(waiting.public_id)
    )
    # He was late to the held session: a note on his mark can be saved (group_sessions:note).
    session_services.attendance_mark(
        session=first, participant=member, outcome="late", by=personas.facilitator
    )
    return World(
        personas=personas,
        handout=handout,
        package=package,
        exit_reason=ExitReason.objects.get(organisation=personas.organisation, code="moved"),
        destruction=destruction,
        consent=consent,
        partner_consent=partner_consent,
        consent_template=consent_template,
        case=case,
        case_task=case_task,
        flag=flag,
        group=group,
        other_group=other_group,
        member=member,
        enrolment=enrolment,
        past_session=first,
        future_session=future,
        waiting=waiting,
        partner=partner,
        marac=marac,
        partner_task=partner_task,
    )


# --- which object each URL is about ---------------------------------------------------------

Kwargs = dict[str, Any]


def _by_name(table: dict[str, Callable[[World], Kwargs]]) -> Callable[[World, str], Kwargs]:
    def build(world: World, url_name: str) -> Kwargs:
        if url_name not in table:
            raise UnknownURL(f"no builder for {url_name}: add it in tests/security/urls.py")
        return table[url_name](world)

    return build


def _session(world: World, url_name: str) -> Kwargs:
    # The register is marked on a held session; only a session without marks moves or cancels.
    held = url_name in {
        "group_sessions:register",
        "group_sessions:mark",
        "group_sessions:note",
        "group_sessions:all_present",
    }
    session = world.past_session if held else world.future_session
    return {"public_id": session.public_id}


BUILDERS: dict[str, Callable[[World, str], Kwargs]] = {
    "CASE_ACCESS": lambda w, _name: {"public_id": w.case.public_id},
    "CASE_TASK_ACCESS": lambda w, _name: {"public_id": w.case.public_id, "task_id": w.case_task.pk},
    "CASE_FLAG_ACCESS": lambda w, _name: {"public_id": w.case.public_id, "flag_id": w.flag.pk},
    "DESTRUCTION_ACCESS": lambda w, _name: {"record_id": w.destruction.pk},
    "LOOKUP_LIST_ACCESS": lambda _w, _name: {"kind": "exit-reasons"},
    "LOOKUP_ENTRY_ACCESS": lambda w, _name: {"kind": "exit-reasons", "entry_id": w.exit_reason.pk},
    "CASE_CONSENT_ACCESS": _by_name(
        {
            "consent:withdraw": lambda w: {
                "public_id": w.case.public_id,
                "consent_id": w.consent.pk,
            },
            "consent:print": lambda w: {
                "public_id": w.case.public_id,
                "template_id": w.consent_template.pk,
            },
        }
    ),
    "GROUP_ACCESS": lambda w, _name: {"public_id": w.group.public_id},
    "GROUP_PLACE_ACCESS": lambda w, _name: {
        "public_id": w.group.public_id,
        "enrolment_id": w.enrolment.pk,
    },
    "SESSION_ACCESS": _session,
    "PARTNER_ACCESS": lambda w, _name: {"public_id": w.partner.public_id},
    "PARTNER_ITEM_ACCESS": _by_name(
        {
            "partners:update_marac": lambda w: {
                "public_id": w.partner.public_id,
                "referral_id": w.marac.pk,
            },
            "partners:task_done": lambda w: {
                "public_id": w.partner.public_id,
                "task_id": w.partner_task.pk,
            },
            "partners:withdraw_consent": lambda w: {
                "public_id": w.partner.public_id,
                "consent_id": w.partner_consent.pk,
            },
            "partners:print_consent": lambda w: {
                "public_id": w.partner.public_id,
                "template_id": w.partner_consent.template_id,
            },
        }
    ),
    "SURVEY_ACCESS": _by_name(
        {
            "outcomes:partner_survey": lambda w: {
                "public_id": w.partner.public_id,
                "code": "partner-safety",
            },
            "outcomes:man_survey": lambda w: {
                "public_id": w.case.public_id,
                "code": "men-self-report",
            },
        }
    ),
    "PACKAGE_ACCESS": lambda w, _name: {"key": w.package.key, "version": w.package.version},
    "HANDOUT_ACCESS": lambda w, _name: {"handout_id": w.handout.pk},
    # Not about one object: the organisation's own tables, whatever the format.
    "EXPORT_ACCESS": lambda _w, _name: {"fmt": "csv"},
}

# Dicts whose URLs name no object (nothing of another organisation to ask for by id).
NO_OBJECT = {"EXPORT_ACCESS", "LOOKUP_LIST_ACCESS"}


@dataclass(frozen=True)
class Entry:
    table: str  # the dict's name in tests/access_matrix.py
    url_name: str
    method: str
    roles: frozenset

    @property
    def id(self) -> str:
        return f"{self.table}-{self.url_name}"


def object_url_tables() -> dict[str, dict]:
    """Every dict of access_matrix whose rows are (method, roles): the object URLs."""
    found = {}
    for name, value in vars(access_matrix).items():
        if name.isupper() and isinstance(value, dict) and value:
            rows = list(value.values())
            if all(isinstance(row, tuple) and len(row) == 2 for row in rows):
                found[name] = value
    return found


def object_url_entries(*, with_objects_only: bool = False) -> list[Entry]:
    entries = []
    for table, rows in sorted(object_url_tables().items()):
        if with_objects_only and table in NO_OBJECT:
            continue
        for url_name, (method, roles) in sorted(rows.items()):
            entries.append(Entry(table, url_name, method, frozenset(roles)))
    return entries


def url_for(world: World, entry: Entry) -> str:
    builder = BUILDERS.get(entry.table)
    if builder is None:
        raise UnknownURL(
            f"{entry.table} is a new kind of URL: add a builder for it in tests/security/urls.py"
        )
    return reverse(entry.url_name, kwargs=builder(world, entry.url_name))


# --- valid forms for every URL that writes ---------------------------------------------------


def _an_hour_ago() -> str:
    return timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def free_day_after(world: World, day: datetime.date) -> datetime.date:
    closed = session_selectors.closures(world.personas.organisation)
    day += datetime.timedelta(days=1)
    while day in closed or day.weekday() == world.other_group.weekday:
        day += datetime.timedelta(days=1)
    return day


def _person(world: World) -> dict:
    case = world.case
    return {
        "last_name": case.last_name,
        "first_name": "Changed",
        "patronymic": case.patronymic,
        "date_of_birth": case.date_of_birth.isoformat(),
        "preferred_language": case.preferred_language,
        "reminder_channel": case.reminder_channel,
    }


def _referral(world: World) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "source": source_of(world.personas.organisation, "self").pk,
        "referrer_organisation": "Court",
        "made_on": today,
        "received_on": today,
        "reason": "Another referral",
    }


def _incident(world: World) -> dict:
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "category": IncidentCategory.objects.get(
            organisation=world.personas.organisation, code="other"
        ).pk,
        "outcome": "unknown",
    }


BODIES: dict[str, Callable[[World], dict]] = {
    "participants:edit": _person,
    "participants:add_referral": _referral,
    "participants:change_status": lambda w: {"to_status": "assessment", "reason": "r"},
    "participants:set_risk": lambda w: {"level": "high"},
    "participants:add_appointment": lambda w: {
        "date": timezone.localdate().isoformat(),
        "attended": "unknown",
        "assessor": w.personas.facilitator.pk,
    },
    "participants:decide_assessment": lambda w: {
        "outcome": "suitable",
        "risk_level": "medium",
        "decided_on": timezone.localdate().isoformat(),
        "reason": "",
    },
    "participants:add_note": lambda w: {
        "category": category_of(w.personas.organisation).pk,
        "text": "A note",
    },
    "participants:task_done": lambda w: {},
    "consent:add": lambda w: {
        "template": w.consent_template.pk,
        "given_on": timezone.localdate().isoformat(),
        "how": "in_person",
    },
    "consent:withdraw": lambda w: {
        "withdrawn_on": timezone.localdate().isoformat(),
        "withdrawal_how": "phone",
    },
    "participants:acknowledge_flag": lambda w: {},
    "group_sessions:allocate": lambda w: {"participant": w.waiting.pk},
    "group_sessions:move_enrolment": lambda w: {"to_group": w.other_group.pk},
    "group_sessions:mark": lambda w: {"participant": str(w.member.public_id), "outcome": "present"},
    "group_sessions:note": lambda w: {"participant": str(w.member.public_id), "note": "At 18:20"},
    "group_sessions:all_present": lambda w: {},
    "group_sessions:cancel": lambda w: {"reason": "Room flooded"},
    "group_sessions:move": lambda w: {
        "date": free_day_after(w, w.future_session.date).isoformat(),
        "start_time": "18:00",
        "reason": "Room booked",
    },
    "partners:edit": lambda w: {
        "last_name": "Changed",
        "first_name": "Partner",
        "relationship": "ex_partner",
        "safe_contact_method": "call",
        "language": "en",
        "state": w.partner.state,
    },
    "partners:add_attempt": lambda w: {
        "at": _an_hour_ago(),
        "method": "call",
        "outcome": "reached",
    },
    "partners:assess_risk": lambda w: {
        "assessed_on": timezone.localdate().isoformat(),
        "answer_1": "yes",
        "answer_2": "yes",
        "answer_3": "no",
    },
    "partners:save_plan": lambda w: {
        "contacts": "Sister",
        "review_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    },
    "partners:add_checkin": lambda w: {
        "on": timezone.localdate().isoformat(),
        "method": "call",
        "feels_safe": "fairly",
        "risk_level_after": "low",
        "next_due": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    },
    "partners:update_marac": lambda w: {
        "referred_on": timezone.localdate().isoformat(),
        "outcome": "Agreed actions",
    },
    "partners:task_done": lambda w: {},
    "participants:log_request": lambda w: {
        "kind": "access",
        "received_on": timezone.localdate().isoformat(),
    },
    "partners:log_request": lambda w: {
        "kind": "access",
        "received_on": timezone.localdate().isoformat(),
    },
    "lookup_delete": lambda w: {},
    "partners:add_consent": lambda w: {
        "template": ConsentTemplate.objects.get(
            organisation=w.personas.organisation, subject="partner", purpose="surveys"
        ).pk,
        "given_on": timezone.localdate().isoformat(),
        "how": "phone",
    },
    "partners:withdraw_consent": lambda w: {
        "withdrawn_on": timezone.localdate().isoformat(),
        "withdrawal_how": "phone",
    },
    "evidence:add_incident": lambda w: {**_incident(w), "known_via": "police"},
    "partners:add_reported_incident": _incident,
    # A copy of the package, in the organisation's own programmes.
    "library:import": lambda w: {},
}


def body_for(world: World, entry: Entry) -> dict | None:
    """The valid form for a URL that writes; None for a page only read. A POST URL without a
    body here fails: the net would otherwise test an empty form that saves nothing anyway."""
    if entry.url_name in BODIES:
        return BODIES[entry.url_name](world)
    if entry.method == "post":
        raise UnknownURL(f"no valid body for {entry.url_name}: add one in tests/security/urls.py")
    return None


def case_data() -> dict[str, list]:
    """Every row of every case model, to compare before and after a refused request."""
    rows = {}
    for app_label in CASE_APPS:
        for model in apps.get_app_config(app_label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


# --- every route of the project ---------------------------------------------------------------


def named_routes(patterns=None, prefix: str = "") -> Iterator[str]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_routes(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def project_routes() -> set[str]:
    """The project's own named URLs (the admin site has its own sign-in and is tested apart)."""
    return {name for name in named_routes() if not name.startswith("admin:")}


def non_public_pages() -> list[tuple[str, str]]:
    """(url name, method) of every page that takes no argument and needs a signed-in user."""
    pages = [(name, "get") for name in sorted(access_matrix.PAGE_ACCESS)]
    pages += [(name, "get") for name in sorted(access_matrix.SECOND_FACTOR_STEPS)]
    return pages


# Pages that create a record from a form of their own (no object in the URL).
def _intake(world: World) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "person-last_name": "Newman",
        "person-first_name": "Fresh",
        "person-date_of_birth": "1981-05-06",
        "person-phone": "07700 900123",
        "person-preferred_language": "en",
        "person-reminder_channel": "sms",
        "referral-source": source_of(world.personas.organisation).pk,
        "referral-referrer_organisation": "Court",
        "referral-made_on": today,
        "referral-received_on": today,
        "referral-reason": "Referred",
    }


def _new_group(world: World) -> dict:
    start = timezone.localdate() + datetime.timedelta(days=3)
    return {
        "programme": world.group.programme_id,
        "name": "New group",
        "facilitator": world.personas.manager.pk,
        "venue": "Hall",
        "weekday": start.weekday(),
        "start_time": "08:00",
        "duration_minutes": 60,
        "start_date": start.isoformat(),
        "capacity": 8,
        "intake": "rolling",
    }


def _new_partner(world: World) -> dict:
    return {
        "participant": world.waiting.pk,
        "last_name": "New",
        "first_name": "Partner",
        "relationship": "partner",
        "safe_contact_method": "call",
        "language": "en",
        "state": "not_contacted",
    }


class _Resent(io.BytesIO):
    """An uploaded file the test client sends whole every time (it reads it without rewinding)."""

    name = "package.zip"

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _package_file(world: World) -> dict:
    return {"file": _Resent(library_services.package_file_build(world.package))}


PAGE_BODIES: dict[str, Callable[[World], dict]] = {
    "library:publish": lambda w: {
        "coalition": w.package.coalition_id,
        "programme": w.package.programme_id,
        "change_note_en": "Next version",
    },
    "library:upload": _package_file,
    "participants:intake": _intake,
    "group_sessions:group_create": _new_group,
    "partners:create": _new_partner,
}

# What a valid body (above, or the write tests' own) answers when the right user sends it: the
# page it leads to, or 200 for an import that shows its report. One answer each, so that a
# redirect to the sign-in page (or to any page but this one) is never taken for a save.
CASE_PAGE, PARTNER_PAGE = "participants:detail", "partners:detail"
ANSWERS: dict[str, int | str] = {
    "consent:add": CASE_PAGE,
    "consent:withdraw": CASE_PAGE,
    "evidence:add_comparison": "evidence:report",
    "evidence:add_incident": CASE_PAGE,
    "evidence:change_assessment": CASE_PAGE,
    "evidence:import_incidents": 200,
    "group_sessions:allocate": "group_sessions:group",
    "group_sessions:cancel": "group_sessions:group",
    "group_sessions:group_create": "group_sessions:group",
    "group_sessions:mark": "group_sessions:register",
    "group_sessions:note": "group_sessions:register",
    "group_sessions:all_present": "group_sessions:register",
    "group_sessions:move": "group_sessions:register",
    "group_sessions:move_enrolment": "group_sessions:group",
    "library:import": "library:index",
    "library:publish": "library:package",
    "library:upload": "library:index",
    "lookup_delete": "lookup_list",
    "outcomes:import_men_surveys": 200,
    "outcomes:import_partner_surveys": 200,
    "outcomes:man_survey": CASE_PAGE,
    "outcomes:partner_survey": PARTNER_PAGE,
    "participants:acknowledge_flag": CASE_PAGE,
    "participants:add_appointment": CASE_PAGE,
    "participants:add_note": CASE_PAGE,
    "participants:add_referral": CASE_PAGE,
    "participants:change_status": CASE_PAGE,
    "participants:decide_assessment": CASE_PAGE,
    "participants:edit": CASE_PAGE,
    "participants:import": 200,
    "participants:intake": CASE_PAGE,
    "participants:log_request": "participants:subject_access",
    "participants:set_risk": CASE_PAGE,
    "participants:task_done": CASE_PAGE,
    "partners:add_attempt": PARTNER_PAGE,
    "partners:add_checkin": PARTNER_PAGE,
    "partners:add_consent": PARTNER_PAGE,
    "partners:add_reported_incident": PARTNER_PAGE,
    "partners:assess_risk": PARTNER_PAGE,
    "partners:create": PARTNER_PAGE,
    "partners:edit": PARTNER_PAGE,
    "partners:log_request": "partners:subject_access",
    "partners:save_plan": PARTNER_PAGE,
    "partners:task_done": PARTNER_PAGE,
    "partners:update_marac": PARTNER_PAGE,
    "partners:withdraw_consent": PARTNER_PAGE,
}
