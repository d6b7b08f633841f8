"""The audit trail: every read of a record and every write on case data leaves an event (who,
when, what, from where, in which request), holding ids and codes only; exports ask for the
password again; managers search the log and download it.

The write paths are listed once, in WRITES, and every URL of the project must be placed in one
of the lists below (``test_every_url_has_an_audit_decision``): a new form cannot be added
without deciding what it records.
"""

import csv
import datetime
import io
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dvpp.models import AuditEvent, Role
from dvpp.reauth import SESSION_KEY, reauthentication_url
from evidence.defaults import CHANGE_BEHAVIOURS
from evidence.models import ComparisonCohort, IncidentCategory
from participants import services as case_services
from participants.models import CaseTask, Participant, RiskFlag, Status
from partners import services as partner_services
from partners.models import ContactAttempt, Partner, RiskChecklist
from sessions import services as session_services
from sessions.curriculum import programme_install_standard
from sessions.models import Enrolment, Group
from tests import access_matrix
from tests.answers import assert_answer
from tests.dvpp.test_access import _named_routes
from tests.factories import TEST_PASSWORD, ParticipantFactory, ReferralFactory, category_of
from tests.factories import source_of as source_for
from tests.participants.test_import import GOOD_WITH_REQUIRED as REFERRALS_CSV
from tests.participants.test_intake import intake_data
from tests.partners.conftest import SECRETS
from tests.security.urls import ANSWERS

Action = AuditEvent.Action
TODAY = timezone.localdate()

# His name and everything typed into a free-text field in the writes below: none may reach the
# audit log (its `what` and ids hold codes and ids only).
MAN = {"last_name": "Featherstonehaugh", "first_name": "Bartholomew"}
TYPED = "Wrote-this-in-a-free-text-field"
NEVER_IN_THE_LOG = [*MAN.values(), *SECRETS.values(), TYPED, "Семёнов", "Иванов", "Smith"]


# --- the world the writes happen in --------------------------------------------------------


class World:
    """Org A's staff and a man with a distinctive name; more is built as a write needs it."""

    def __init__(self, org):
        self.org = org
        self.organisation = org.organisation
        self.man = ParticipantFactory(organisation=self.organisation, **MAN)
        ReferralFactory(participant=self.man, reason=TYPED)
        self._programme = None

    def in_status(self, status: Status) -> Participant:
        Participant.objects.filter(pk=self.man.pk).update(status=status)
        self.man.refresh_from_db()
        return self.man

    def waiting_man(self) -> Participant:
        man = ParticipantFactory(organisation=self.organisation, status=Status.WAITING_LIST)
        ReferralFactory(participant=man)
        return man

    def group(self, *, weeks_ago: int = 0, start_time=datetime.time(18, 0), name="Tuesday"):
        if self._programme is None:
            self._programme = programme_install_standard(self.organisation)
        start = TODAY - datetime.timedelta(weeks=weeks_ago)
        return session_services.group_create(
            organisation=self.organisation,
            by=self.org.manager,
            data={
                "programme": self._programme,
                "name": name,
                "facilitator": self.org.facilitator,
                "co_facilitator": None,
                "venue": "Room 1",
                "weekday": start.weekday(),
                "start_time": start_time,
                "duration_minutes": 150,
                "start_date": start,
                "capacity": 12,
                "intake": "rolling",
            },
        )

    def placed(self, group) -> Enrolment:
        man = self.in_status(Status.WAITING_LIST)
        first = group.sessions.order_by("date").first()
        return session_services.enrolment_allocate(
            participant=man, group=group, by=self.org.manager, first_session=first
        )

    def partner(self) -> Partner:
        return partner_services.partner_create(
            organisation=self.organisation,
            by=self.org.partner_support,
            participant=self.man,
            data={**SECRETS, "relationship": "ex_partner", "consent_to_contact": True},
        )

    def reached(self) -> Partner:
        partner = self.partner()
        partner_services.contact_attempt_record(
            partner=partner,
            by=self.org.partner_support,
            at=timezone.now() - datetime.timedelta(days=3),
            method="call",
            outcome=ContactAttempt.Outcome.REACHED,
        )
        return partner


@dataclass
class Write:
    """One write through a page: who posts what where, and the event it must leave."""

    user: object
    url: str
    data: dict
    action: str
    # The record the event is about: an instance, or a function finding it after the write.
    subject: object
    extra: dict = field(default_factory=dict)
    reauthenticated: bool = False  # the page asks for the password again first

    def record(self) -> tuple[str, str]:
        subject = self.subject() if callable(self.subject) else self.subject
        if isinstance(subject, tuple):
            return subject
        return subject._meta.label_lower, str(getattr(subject, "public_id", None) or subject.pk)


def _day(offset: int = 0) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def _case_url(name, w, *more):
    return reverse(name, args=[w.man.public_id, *more])


def _man_details(w) -> dict:
    man = w.man
    return {
        "last_name": man.last_name,
        "first_name": man.first_name,
        "patronymic": "",
        "previous_surnames": "",
        "date_of_birth": man.date_of_birth.isoformat(),
        "phone": "+44 7700 900777",
        "email": "",
        "preferred_language": "en",
        "reminder_channel": "none",
        "key_worker": "",
        "children_count": "0",
        "children_ages": "",
    }


def _partner_details(w) -> dict:
    return {
        **SECRETS,
        "participant": w.man.pk,
        "relationship": "ex_partner",
        "language": "en",
        "safe_contact_method": "call",
        "state": "not_contacted",
        "children_count": "0",
        "consent_to_contact": "on",
    }


def _men_surveys_csv(w) -> str:
    return (
        "survey,wave,case_reference,answered_on,violence,controlling,responsibility,"
        f"children_impact\nmen-self-report,baseline,{w.man.reference},{_day(-1)},few,often,2,no\n"
    )


def _partner_surveys_csv(w, partner) -> str:
    return (
        "survey,wave,case_reference,answered_on,partner_surname,partner_given_name,injured,"
        "feels_safe,physical,sexual,threats,weapon,controlling,harassment,children_exposure,"
        "space_for_action\n"
        f"partner-safety,baseline,{w.man.reference},{_day(-1)},{partner.last_name},"
        f"{partner.first_name},yes,not_very,often,never,few,no,often,once,once,3\n"
    )


def _partner_survey_answers() -> dict:
    from tests.outcomes.conftest import partner_answers

    answers = partner_answers(injured=True, feels="not_very")
    return {f"q_{code}": value for code, value in answers.items()}


# Each write path of the project, by URL name: how to make one that succeeds.
def _intake(w):
    return Write(
        w.org.facilitator,
        reverse("participants:intake"),
        intake_data(w.org),
        Action.CREATE,
        lambda: Participant.objects.get(last_name="Семёнов"),
    )


def _edit(w):
    url = _case_url("participants:edit", w)
    return Write(w.org.facilitator, url, _man_details(w), Action.CHANGE, w.man)


def _add_referral(w):
    data = {
        "source": source_for(w.organisation).pk,
        "referrer_organisation": "Probation",
        "made_on": _day(-2),
        "received_on": _day(-1),
        "reason": TYPED,
        "submission_key": str(uuid.uuid4()),
    }
    url = _case_url("participants:add_referral", w)
    return Write(w.org.facilitator, url, data, Action.CREATE, w.man)


def _import_referrals(w):
    data = {"file": SimpleUploadedFile("referrals.csv", REFERRALS_CSV.encode())}
    url = reverse("participants:import")
    return Write(w.org.manager, url, data, Action.CREATE, ("participants.referral", "import"))


def _change_status(w):
    url = _case_url("participants:change_status", w)
    return Write(w.org.facilitator, url, {"to_status": "assessment"}, Action.CHANGE, w.man)


def _set_risk(w):
    url = _case_url("participants:set_risk", w)
    return Write(w.org.facilitator, url, {"level": "high"}, Action.CHANGE, w.man)


def _add_appointment(w):
    data = {"date": _day(), "attended": "unknown", "assessor": w.org.facilitator.pk}
    url = _case_url("participants:add_appointment", w)
    return Write(w.org.facilitator, url, data, Action.CREATE, w.man)


def _decide_assessment(w):
    data = {"outcome": "suitable", "risk_level": "medium", "decided_on": _day(), "reason": ""}
    url = _case_url("participants:decide_assessment", w)
    return Write(w.org.facilitator, url, data, Action.CHANGE, w.man)


def _add_note(w):
    data = {
        "category": category_of(w.organisation).pk,
        "text": TYPED,
        "submission_key": str(uuid.uuid4()),
    }
    url = _case_url("participants:add_note", w)
    return Write(w.org.facilitator, url, data, Action.CREATE, w.man)


def _case_task_done(w):
    task, _ = case_services.case_task_raise(
        participant=w.man, kind=CaseTask.Kind.COMPLIANCE_REVIEW, key="test"
    )
    url = _case_url("participants:task_done", w, task.pk)
    return Write(w.org.facilitator, url, {}, Action.CHANGE, w.man)


def _consent_template(w):
    from consent.models import ConsentTemplate

    return ConsentTemplate.objects.get(
        organisation=w.organisation, subject="man", purpose="programme", is_current=True
    )


def _consent_add(w):
    data = {
        "template": _consent_template(w).pk,
        "given_on": timezone.localdate().isoformat(),
        "how": "in_person",
    }
    url = _case_url("consent:add", w)
    return Write(w.org.facilitator, url, data, Action.CREATE, w.man)


def _consent_withdraw(w):
    from consent.services import man_consent_give

    record = man_consent_give(
        participant=w.man,
        template=_consent_template(w),
        given_on=timezone.localdate(),
        how="in_person",
        by=w.org.facilitator,
    )
    data = {"withdrawn_on": timezone.localdate().isoformat(), "withdrawal_how": "phone"}
    url = _case_url("consent:withdraw", w, record.pk)
    return Write(w.org.facilitator, url, data, Action.CHANGE, w.man)


def _partner_consent_add(w):
    from consent.models import ConsentTemplate

    template = ConsentTemplate.objects.get(
        organisation=w.organisation, subject="partner", purpose="support", is_current=True
    )
    partner = w.partner()
    data = {"template": template.pk, "given_on": timezone.localdate().isoformat(), "how": "phone"}
    url = reverse("partners:add_consent", args=[partner.public_id])
    return Write(w.org.partner_support, url, data, Action.CREATE, partner)


def _partner_consent_withdraw(w):
    from consent.models import ConsentTemplate
    from partners.services import partner_consent_give

    partner = w.partner()
    record = partner_consent_give(
        partner=partner,
        template=ConsentTemplate.objects.get(
            organisation=w.organisation, subject="partner", purpose="support", is_current=True
        ),
        given_on=timezone.localdate(),
        how="in_person",
        by=w.org.partner_support,
    )
    data = {"withdrawn_on": timezone.localdate().isoformat(), "withdrawal_how": "phone"}
    url = reverse("partners:withdraw_consent", args=[partner.public_id, record.pk])
    return Write(w.org.partner_support, url, data, Action.CHANGE, partner)


def _lookup_delete(w):
    from participants.models import ExitReason

    entry = ExitReason.objects.create(
        organisation=w.organisation, code="unused", label_en="Unused", label_ru="Не нужно"
    )
    url = reverse("lookup_delete", args=["exit-reasons", entry.pk])
    return Write(w.org.manager, url, {}, Action.DELETE, entry)


def _his_request(w):
    data = {"kind": "access", "received_on": timezone.localdate().isoformat()}
    url = _case_url("participants:log_request", w)
    return Write(w.org.manager, url, data, Action.CREATE, w.man, reauthenticated=True)


def _her_request(w):
    partner = w.partner()
    data = {"kind": "erasure", "received_on": timezone.localdate().isoformat()}
    url = reverse("partners:log_request", args=[partner.public_id])
    return Write(w.org.partner_support, url, data, Action.CREATE, partner, reauthenticated=True)


def _acknowledge_flag(w):
    case_services.risk_flag_raise(participant=w.man)
    flag = RiskFlag.objects.get(participant=w.man)
    url = _case_url("participants:acknowledge_flag", w, flag.pk)
    # On the flag, not on his case: his case's events go into his subject-access package.
    return Write(w.org.facilitator, url, {}, Action.CHANGE, flag)


def _group_create(w):
    data = {
        "programme": programme_install_standard(w.organisation).pk,
        "name": "Thursday",
        "facilitator": w.org.facilitator.pk,
        "venue": "Room 2",
        "weekday": TODAY.weekday(),
        "start_time": "18:00",
        "duration_minutes": "150",
        "start_date": _day(),
        "capacity": "12",
        "intake": "rolling",
    }
    url = reverse("group_sessions:group_create")
    return Write(
        w.org.facilitator, url, data, Action.CREATE, lambda: Group.objects.get(name="Thursday")
    )


def _allocate(w):
    group = w.group()
    man = w.in_status(Status.WAITING_LIST)
    url = reverse("group_sessions:allocate", args=[group.public_id])
    return Write(w.org.facilitator, url, {"participant": man.pk}, Action.CREATE, man)


def _move_enrolment(w):
    group = w.group()
    other = w.group(start_time=datetime.time(10, 0), name="Wednesday")
    enrolment = w.placed(group)
    url = reverse("group_sessions:move_enrolment", args=[group.public_id, enrolment.pk])
    return Write(w.org.facilitator, url, {"to_group": other.pk}, Action.CHANGE, w.man)


def _mark(w):
    group = w.group(weeks_ago=1)
    w.placed(group)
    session = group.sessions.order_by("date").first()
    url = reverse("group_sessions:mark", args=[session.public_id])
    data = {"participant": str(w.man.public_id), "outcome": "present", "note": TYPED}
    return Write(w.org.facilitator, url, data, Action.CHANGE, w.man)


def _note(w):
    group = w.group(weeks_ago=1)
    w.placed(group)
    session = group.sessions.order_by("date").first()
    session_services.attendance_mark(
        session=session, participant=w.man, outcome="late", by=w.org.facilitator
    )
    url = reverse("group_sessions:note", args=[session.public_id])
    data = {"participant": str(w.man.public_id), "note": TYPED}
    return Write(w.org.facilitator, url, data, Action.CHANGE, w.man)


def _all_present(w):
    group = w.group(weeks_ago=1)
    w.placed(group)
    session = group.sessions.order_by("date").first()
    url = reverse("group_sessions:all_present", args=[session.public_id])
    return Write(w.org.facilitator, url, {}, Action.CHANGE, w.man)


def _cancel_session(w):
    session = w.group().sessions.order_by("date")[1]
    url = reverse("group_sessions:cancel", args=[session.public_id])
    return Write(w.org.facilitator, url, {"reason": TYPED}, Action.CHANGE, session)


def _move_session(w):
    session = w.group().sessions.order_by("date")[1]
    data = {"date": (session.date + datetime.timedelta(days=1)).isoformat()}
    data.update({"start_time": "19:30", "reason": TYPED})
    url = reverse("group_sessions:move", args=[session.public_id])
    return Write(w.org.facilitator, url, data, Action.CHANGE, session)


def _partner_create(w):
    return Write(
        w.org.partner_support,
        reverse("partners:create"),
        _partner_details(w),
        Action.CREATE,
        lambda: Partner.objects.get(),
    )


def _partner_edit(w):
    partner = w.partner()
    url = reverse("partners:edit", args=[partner.public_id])
    return Write(w.org.partner_support, url, _partner_details(w), Action.CHANGE, partner)


def _partner_write(name, data):
    def build(w):
        partner = w.reached()
        url = reverse(name, args=[partner.public_id])
        return Write(w.org.partner_support, url, data(), Action.CHANGE, partner)

    return build


def _update_marac(w):
    partner = w.partner()
    partner_services.risk_assess(
        partner=partner,
        by=w.org.partner_support,
        checklist=RiskChecklist.objects.get(organisation=w.organisation, is_current=True),
        yes_items=[],
        assessed_on=TODAY,
        professional_judgement=True,
        judgement_note=TYPED,
    )
    referral = partner.marac.get()
    url = reverse("partners:update_marac", args=[partner.public_id, referral.pk])
    data = {"referred_on": _day(), "outcome": TYPED}
    return Write(w.org.partner_support, url, data, Action.CHANGE, partner)


def _partner_task_done(w):
    partner = w.partner()
    partner_services.risk_event(participant=w.man, reason="absence", key="test")
    task = partner.tasks.get()
    url = reverse("partners:task_done", args=[partner.public_id, task.pk])
    return Write(w.org.partner_support, url, {}, Action.CHANGE, partner)


def _partner_survey(w):
    partner = w.partner()
    w.in_status(Status.IN_PROGRAMME)
    url = reverse("outcomes:partner_survey", args=[partner.public_id, "partner-safety"])
    data = {"wave": "baseline", "answered_on": _day(), **_partner_survey_answers()}
    return Write(w.org.partner_support, url, data, Action.CREATE, partner)


def _man_survey(w):
    w.in_status(Status.IN_PROGRAMME)
    url = reverse("outcomes:man_survey", args=[w.man.public_id, "men-self-report"])
    data = {"wave": "baseline", "answered_on": _day(), "q_violence": "few"}
    data.update({"q_controlling": "often", "q_responsibility": "2", "q_children_impact": "no"})
    return Write(w.org.facilitator, url, data, Action.CREATE, w.man)


def _import_partner_surveys(w):
    partner = w.partner()
    w.in_status(Status.IN_PROGRAMME)
    upload = SimpleUploadedFile("surveys.csv", _partner_surveys_csv(w, partner).encode())
    url = reverse("outcomes:import_partner_surveys")
    return Write(
        w.org.partner_support, url, {"file": upload}, Action.CREATE, ("outcomes.response", "import")
    )


def _import_men_surveys(w):
    w.in_status(Status.IN_PROGRAMME)
    upload = SimpleUploadedFile("surveys.csv", _men_surveys_csv(w).encode())
    url = reverse("outcomes:import_men_surveys")
    return Write(
        w.org.manager, url, {"file": upload}, Action.CREATE, ("outcomes.response", "import")
    )


def _incident_fields(w) -> dict:
    other = IncidentCategory.objects.get(organisation=w.organisation, code="other")
    return {"occurred_on": _day(), "category": other.pk, "outcome": "unknown"}


def _add_incident(w):
    url = _case_url("evidence:add_incident", w)
    data = {**_incident_fields(w), "known_via": "police"}
    return Write(w.org.facilitator, url, data, Action.CREATE, w.man)


def _reported_incident(w):
    partner = w.partner()
    url = reverse("partners:add_reported_incident", args=[partner.public_id])
    return Write(w.org.partner_support, url, _incident_fields(w), Action.CREATE, partner)


def _change_assessment(w):
    from sessions.models import Attendance

    group = w.group(weeks_ago=2)
    enrolment = w.placed(group)
    Attendance.objects.create(
        organisation=w.organisation,
        session=group.sessions.order_by("date").first(),
        participant=w.man,
        enrolment=enrolment,
        outcome=Attendance.Outcome.PRESENT,
    )
    w.in_status(Status.COMPLETED)
    data = {"assessed_on": _day(), "capacity": "yes", "motivation": "no", "used_group_work": "on"}
    data.update({f"rating_{code}": "reduced" for code, _en, _ru in CHANGE_BEHAVIOURS})
    return Write(
        w.org.facilitator, _case_url("evidence:change_assessment", w), data, Action.CREATE, w.man
    )


def _add_comparison(w):
    data = {"name": "Police cohort", "source": "Constabulary", "window_months": "12", "men": "40"}
    data.update({"men_with_incident": "12", "incidents": "15", "total_harm": "900"})
    return Write(
        w.org.manager,
        reverse("evidence:add_comparison"),
        data,
        Action.CREATE,
        lambda: ComparisonCohort.objects.get(organisation=w.organisation),
    )


def _import_incidents(w):
    text = (
        f"case_reference,occurred_on,known_via,category\n{w.man.reference},{_day()},police,other\n"
    )
    upload = SimpleUploadedFile("incidents.csv", text.encode())
    url = reverse("evidence:import_incidents")
    return Write(
        w.org.manager, url, {"file": upload}, Action.CREATE, ("evidence.incident", "import")
    )


def _published(w):
    from library.services import package_publish
    from sessions.curriculum import programme_install_cautioning

    return package_publish(
        organisation=w.organisation,
        by=w.org.manager,
        coalition=w.org.coalition_analyst.coalition,
        programme=programme_install_cautioning(w.organisation),
        instruments=[],
        change_note_en=TYPED,
    )


def _publish_package(w):
    from library.models import Package
    from sessions.curriculum import programme_install_cautioning

    data = {
        "coalition": w.org.coalition_analyst.coalition.pk,
        "programme": programme_install_cautioning(w.organisation).pk,
        "change_note_en": TYPED,
    }
    url = reverse("library:publish")
    return Write(w.org.manager, url, data, Action.CREATE, lambda: Package.objects.get())


def _the_copy():
    from library.models import ImportedFrom

    return ImportedFrom.objects.get().programme


def _import_package(w):
    package = _published(w)
    url = reverse("library:import", args=[package.key, package.version])
    return Write(w.org.manager, url, {}, Action.CREATE, _the_copy)


def _upload_package(w):
    from library.services import package_file_build

    upload = SimpleUploadedFile("package.zip", package_file_build(_published(w)))
    url = reverse("library:upload")
    return Write(w.org.manager, url, {"file": upload}, Action.CREATE, _the_copy)


WRITES: dict[str, Callable[[World], Write]] = {
    "library:publish": _publish_package,
    "library:import": _import_package,
    "library:upload": _upload_package,
    "evidence:add_incident": _add_incident,
    "partners:add_reported_incident": _reported_incident,
    "evidence:change_assessment": _change_assessment,
    "evidence:add_comparison": _add_comparison,
    "evidence:import_incidents": _import_incidents,
    "participants:intake": _intake,
    "participants:edit": _edit,
    "participants:add_referral": _add_referral,
    "participants:import": _import_referrals,
    "participants:change_status": _change_status,
    "participants:set_risk": _set_risk,
    "participants:add_appointment": _add_appointment,
    "participants:decide_assessment": _decide_assessment,
    "participants:add_note": _add_note,
    "participants:task_done": _case_task_done,
    "consent:add": _consent_add,
    "consent:withdraw": _consent_withdraw,
    "partners:add_consent": _partner_consent_add,
    "participants:log_request": _his_request,
    "lookup_delete": _lookup_delete,
    "partners:log_request": _her_request,
    "partners:withdraw_consent": _partner_consent_withdraw,
    "participants:acknowledge_flag": _acknowledge_flag,
    "group_sessions:group_create": _group_create,
    "group_sessions:allocate": _allocate,
    "group_sessions:move_enrolment": _move_enrolment,
    "group_sessions:mark": _mark,
    "group_sessions:note": _note,
    "group_sessions:all_present": _all_present,
    "group_sessions:cancel": _cancel_session,
    "group_sessions:move": _move_session,
    "partners:create": _partner_create,
    "partners:edit": _partner_edit,
    "partners:add_attempt": _partner_write(
        "partners:add_attempt",
        lambda: {"at": f"{_day(-1)}T10:00", "method": "call", "outcome": "no_answer"},
    ),
    "partners:assess_risk": _partner_write(
        "partners:assess_risk",
        lambda: {"assessed_on": _day(), "answer_1": "yes", "answer_2": "yes", "answer_3": "no"},
    ),
    "partners:save_plan": _partner_write(
        "partners:save_plan", lambda: {"contacts": TYPED, "review_on": _day(30)}
    ),
    "partners:add_checkin": _partner_write(
        "partners:add_checkin",
        lambda: {
            "on": _day(),
            "method": "call",
            "feels_safe": "fairly",
            "actions": TYPED,
            "risk_level_after": "medium",
            "next_due": _day(14),
            "submission_key": str(uuid.uuid4()),
        },
    ),
    "partners:update_marac": _update_marac,
    "partners:task_done": _partner_task_done,
    "outcomes:partner_survey": _partner_survey,
    "outcomes:man_survey": _man_survey,
    "outcomes:import_partner_surveys": _import_partner_surveys,
    "outcomes:import_men_surveys": _import_men_surveys,
}

# Reads of one person's record: opening the page leaves a VIEW event, with this `what`.
HIS_READS = {
    "participants:detail": ([], ""),
    "participants:edit": ([], "details form"),
    "participants:progress": ([], "progress report"),
    "outcomes:man_survey": (["men-self-report"], "survey form (men-self-report)"),
    "evidence:change_assessment": ([], "change assessment"),
    "evidence:add_incident": ([], "incident form"),
}

HER_READS = {
    "partners:detail": ([], ""),
    "partners:edit": ([], "details form"),
    "outcomes:partner_survey": (["partner-safety"], "survey form (partner-safety)"),
    "partners:add_reported_incident": ([], "reported incidents"),
}
# A consent form printed for him: a VIEW on his case (tests/consent/test_consent_pages.py).
CONSENT_FORMS = {"consent:print", "partners:print_consent"}
# Destruction records: the list records nothing; an act printed is a VIEW of it
# (tests/participants/test_destruction.py).
DESTRUCTION = {"destruction_list", "destruction_act"}
# The organisation's lists: adding and changing an entry are audited (tests/dvpp/test_lookups.py).
LOOKUP_PAGES = {"lookups", "lookup_list", "lookup_entry"}
# The partner list shows partners' names: one VIEW a page (test below).
READS = {*HIS_READS, *HER_READS, "partners:index"}
# Files that leave the system (EXPORT), and those of them that ask for the password again.
EXPORTS = {
    "outcomes:export",
    "evidence:export",
    "coalition:export",
    "audit_log_export",
    "participants:progress",
    "library:download",
}
REAUTHENTICATED_EXPORTS = {
    "outcomes:export",
    "evidence:export",
    "coalition:export",
    "audit_log_export",
}
# Signing in and out, the second factor, the password, the language: recorded by the sign-in
# and second-factor events (tests/dvpp/test_auth.py, test_two_factor.py) or nothing to record.
ACCOUNT = {
    "login",
    "logout",
    "password_change",
    "reauthenticate",
    "set_language",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery_codes",
    "two_factor_manage",
}
# Subject-access packages and erasure record SUBJECT_ACCESS and ERASE in their own tests.
SUBJECT_ACCESS = {
    "participants:subject_access",
    "participants:erase",
    "partners:subject_access",
    "partners:erase",
}
# Pages that neither open one person's record nor change case data: lists, dashboards, the
# schedule, the audit log itself, retrying a failed message (its outbox row, not case data).
NO_RECORD = {
    "healthz",
    "sms_status",
    "home",
    "staff_list",
    "audit_log",
    "failed_notifications",
    "participants:index",
    # The lists of the home cards on the men's side and the manager's: men only, as the case list.
    "participants:risk_flags",
    "participants:tasks",
    "data_protection:missing_consent",
    "data_protection:requests_due",
    "group_sessions:index",
    "group_sessions:today",
    "group_sessions:group",
    "group_sessions:register",
    "outcomes:index",
    "evidence:report",
    "coalition:index",
    # The programme library and a handout: curriculum, not case data.
    "library:index",
    "library:package",
    "library:handout",
}


def _matrix_posts() -> set[str]:
    """Every URL the access matrix lists as answering a POST."""
    posts = set()
    for table in vars(access_matrix).values():
        if isinstance(table, dict):
            for name, rule in table.items():
                if isinstance(rule, tuple) and rule[0] == "post":
                    posts.add(name)
    return posts


def test_every_post_url_of_the_access_matrix_has_an_audited_write():
    missing = _matrix_posts() - set(WRITES)
    assert not missing, f"add a write to WRITES in {__name__}: {sorted(missing)}"


def test_every_url_has_an_audit_decision():
    """A page added without deciding what it records fails here."""
    from django.urls import get_resolver

    routes = {
        name for name in _named_routes(get_resolver().url_patterns) if not name.startswith("admin:")
    }
    decided = {
        *WRITES,
        *READS,
        *EXPORTS,
        *ACCOUNT,
        *SUBJECT_ACCESS,
        *NO_RECORD,
        *CONSENT_FORMS,
        *DESTRUCTION,
        *LOOKUP_PAGES,
    }
    assert not routes - decided, f"decide what these record: {sorted(routes - decided)}"


@pytest.fixture
def world(org_a):
    return World(org_a)


@pytest.mark.parametrize("url_name", sorted(WRITES))
def test_a_write_leaves_an_event_with_ids_only(client_for, world, url_name):
    write = WRITES[url_name](world)
    client = client_for(write.user, reauthenticated=write.reauthenticated)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(write.url, write.data, REMOTE_ADDR="198.51.100.4")
    assert_answer(response, ANSWERS[url_name])
    object_type, object_id = write.record()
    event = AuditEvent.objects.filter(
        pk__gt=before, action=write.action, object_type=object_type, object_id=object_id
    ).first()
    assert event is not None, list(
        AuditEvent.objects.filter(pk__gt=before).values_list("action", "object_type", "what")
    )
    assert (event.user, event.organisation) == (write.user, world.organisation)
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "198.51.100.4"
    for event in AuditEvent.objects.all():
        for value in NEVER_IN_THE_LOG:
            assert value not in event.what and value not in event.object_id, (event.what, value)


def test_a_refused_write_records_no_change(client_for, world):
    client_for(world.org.facilitator).post(
        _case_url("participants:change_status", world), {"to_status": "completed"}
    )
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_a_status_change_says_from_where_to_where(client_for, world):
    client_for(world.org.facilitator).post(
        _case_url("participants:change_status", world), {"to_status": "assessment"}
    )
    assert AuditEvent.objects.get(action=Action.CHANGE).what == "status: referred→assessment"


def test_an_attendance_mark_names_the_mark_and_the_session(client_for, world):
    write = _mark(world)
    client_for(write.user).post(write.url, write.data, HTTP_HX_REQUEST="true")
    what = AuditEvent.objects.get(action=Action.CHANGE).what
    assert what.startswith("attendance: present, session ")


def test_an_import_is_one_event_with_the_counts(client_for, world):
    write = _import_referrals(world)
    client_for(write.user).post(write.url, write.data)
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.what == "import: 2 new cases, 3 new referrals"


def test_a_dry_run_import_changes_nothing_and_records_no_write(client_for, world):
    write = _import_referrals(world)
    client_for(write.user).post(write.url, {**write.data, "dry_run": "on"})
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


# --- reads -------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", sorted(HIS_READS))
def test_opening_his_case_is_a_read(client_for, world, url_name):
    more, what = HIS_READS[url_name]
    response = client_for(world.org.facilitator).get(_case_url(url_name, world, *more))
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.object_type, event.object_id) == (
        "participants.participant",
        str(world.man.public_id),
    )
    assert (event.what, event.request_id) == (what, response["X-Request-ID"])


def test_his_progress_report_as_a_pdf_is_an_export_without_a_new_password(client_for, world):
    response = client_for(world.org.facilitator).get(
        _case_url("participants:progress", world), {"format": "pdf"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.object_id == str(world.man.public_id)
    assert event.what == "progress report (PDF)"


@pytest.mark.parametrize("url_name", sorted(HER_READS))
def test_opening_her_record_is_a_read(client_for, world, url_name):
    partner = world.partner()
    more, what = HER_READS[url_name]
    response = client_for(world.org.partner_support).get(
        reverse(url_name, args=[partner.public_id, *more])
    )
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.object_type, event.object_id) == ("partners.partner", str(partner.public_id))
    assert (event.user, event.what) == (world.org.partner_support, what)
    assert event.request_id == response["X-Request-ID"]


def test_the_partner_list_is_a_read_without_the_search_words(client_for, world):
    world.partner()
    client_for(world.org.partner_support).get(
        reverse("partners:index"), {"q": SECRETS["last_name"]}
    )
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.object_type, event.object_id, event.what) == ("partners.partner", "list", "")


def test_a_case_page_read_costs_one_insert(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.org.facilitator)
    url = _case_url("participants:detail", world)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    inserts = [q for q in queries if q["sql"].startswith("INSERT") and "auditevent" in q["sql"]]
    assert len(inserts) == 1


# --- exports ask for the password again --------------------------------------------------


EXPORT_URLS = {
    "outcomes:export": lambda: reverse("outcomes:export", args=["csv"]) + "?lang=en",
    "evidence:export": lambda: reverse("evidence:export", args=["csv"]) + "?lang=en",
    "coalition:export": lambda: reverse("coalition:export", args=["csv"]) + "?lang=en",
    "audit_log_export": lambda: reverse("audit_log_export") + "?action=view",
}


# Who downloads each: a manager, except the coalition's figures (its analyst).
EXPORT_ROLES = {"coalition:export": Role.COALITION_ANALYST}


def _exporter(org, name):
    return org.for_role(EXPORT_ROLES.get(name, Role.MANAGER))


def test_every_bulk_export_is_tested_for_re_authentication():
    assert set(EXPORT_URLS) == REAUTHENTICATED_EXPORTS


@pytest.mark.parametrize("name", sorted(EXPORT_URLS))
def test_an_export_without_a_recent_password_goes_to_the_confirmation(client_for, org_a, name):
    url = EXPORT_URLS[name]()
    response = client_for(_exporter(org_a, name)).get(url)
    assert response.status_code == 302
    assert response["Location"] == reauthentication_url(url)
    assert response["Location"].startswith("/accounts/confirm/?next=")
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("name", sorted(EXPORT_URLS))
def test_after_the_password_the_export_downloads_and_is_audited(client_for, org_a, name):
    url = EXPORT_URLS[name]()
    client = client_for(_exporter(org_a, name))
    confirm = client.post(reverse("reauthenticate"), {"password": TEST_PASSWORD, "next": url})
    assert confirm.status_code == 302 and confirm["Location"] == url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.user, event.request_id) == (_exporter(org_a, name), response["X-Request-ID"])
    assert AuditEvent.objects.filter(
        action=Action.REAUTHENTICATED, user=_exporter(org_a, name)
    ).exists()


@pytest.mark.parametrize("name", sorted(EXPORT_URLS))
def test_a_wrong_password_downloads_nothing_and_is_audited(client_for, org_a, name):
    url = EXPORT_URLS[name]()
    client = client_for(_exporter(org_a, name))
    response = client.post(reverse("reauthenticate"), {"password": "not-it", "next": url})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.REAUTHENTICATION_FAILED).count() == 1
    assert client.get(url).status_code == 302
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("name", sorted(EXPORT_URLS))
def test_the_confirmation_expires(client_for, org_a, settings, name):
    settings.REAUTH_MINUTES = 5
    url = EXPORT_URLS[name]()
    client = client_for(_exporter(org_a, name), reauthenticated=True)
    assert client.get(url).status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - 4 * 60
    session.save()
    assert client.get(url).status_code == 200
    session[SESSION_KEY] = time.time() - 6 * 60
    session.save()
    assert client.get(url)["Location"] == reauthentication_url(url)


# --- the audit log page -------------------------------------------------------------------


def _events_of(content: str) -> str:
    return content.split('data-testid="audit-table"')[1].split("</table>")[0]


def test_managers_search_by_a_case_reference(client_for, world, org_a):
    other = ParticipantFactory(organisation=world.organisation)
    client_for(org_a.facilitator).get(_case_url("participants:detail", world))
    client_for(org_a.facilitator).get(reverse("participants:detail", args=[other.public_id]))
    client = client_for(org_a.manager)
    for person in (world.man.reference, world.man.reference.lstrip("0"), str(world.man.public_id)):
        table = _events_of(client.get(reverse("audit_log"), {"person": person}).content.decode())
        assert str(world.man.public_id) in table
        assert str(other.public_id) not in table


def test_a_case_reference_of_another_organisation_finds_nothing(client_for, world, org_b):
    stranger = ParticipantFactory(organisation=org_b.organisation, reference="00777")
    client_for(org_b.facilitator).get(reverse("participants:detail", args=[stranger.public_id]))
    table = _events_of(
        client_for(world.org.manager)
        .get(reverse("audit_log"), {"person": "00777"})
        .content.decode()
    )
    assert "Nothing recorded." in table


def test_managers_search_by_user_action_and_dates(client_for, world, org_a):
    client_for(org_a.facilitator).get(_case_url("participants:detail", world))
    client_for(org_a.partner_support).get(_case_url("participants:detail", world))
    client = client_for(org_a.manager)
    by_user = _events_of(
        client.get(reverse("audit_log"), {"user": org_a.facilitator.pk}).content.decode()
    )
    assert str(org_a.facilitator) in by_user and str(org_a.partner_support) not in by_user
    signed_in = _events_of(client.get(reverse("audit_log"), {"action": "export"}).content.decode())
    assert "Nothing recorded." in signed_in
    tomorrow = _events_of(client.get(reverse("audit_log"), {"date_from": _day(1)}).content.decode())
    assert "Nothing recorded." in tomorrow
    today = _events_of(
        client.get(reverse("audit_log"), {"date_from": _day(), "date_to": _day()}).content.decode()
    )
    assert str(world.man.public_id) in today


def test_the_log_shows_the_address_and_the_request_id(client_for, world, org_a):
    response = client_for(org_a.facilitator).get(
        _case_url("participants:detail", world), REMOTE_ADDR="203.0.113.9"
    )
    table = _events_of(client_for(org_a.manager).get(reverse("audit_log")).content.decode())
    assert "203.0.113.9" in table
    assert response["X-Request-ID"] in table


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2024-13-45"}, "Enter a valid date."),
        ({"date_to": "yesterday"}, "Enter a valid date."),
        ({"action": "launch_missiles"}, "Select a valid choice."),
        ({"user": "abc"}, "Select a valid choice."),
        ({"user": "999999"}, "Select a valid choice."),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "before the “From” date"),
        ({"person": "x" * 500}, "Ensure this value has at most 64 characters"),
        ({"page": "last-but-one"}, None),
    ],
)
def test_bad_search_input_is_explained_not_an_error_page(client_for, world, org_a, params, message):
    client_for(org_a.facilitator).get(_case_url("participants:detail", world))
    for name in ("audit_log", "audit_log_export"):
        response = client_for(org_a.manager, reauthenticated=True).get(reverse(name), params)
        assert response.status_code == 200
    content = client_for(org_a.manager).get(reverse("audit_log"), params).content.decode()
    if message:
        assert message in content and "It was left out of the search." in content
    # The bad value is left out; the rest of the log is still there.
    assert str(world.man.public_id) in _events_of(content)


def test_paging_keeps_the_search(client_for, world, org_a):
    for _ in range(51):
        AuditEvent.objects.create(
            organisation=world.organisation,
            user=org_a.facilitator,
            action=Action.VIEW,
            object_type="participants.participant",
            object_id=str(world.man.public_id),
        )
    content = client_for(org_a.manager).get(reverse("audit_log"), {"action": "view"}).content
    assert "?action=view&amp;page=2" in content.decode()


def test_the_log_page_query_count_does_not_grow(
    client_for, world, org_a, django_assert_max_num_queries
):
    for user in (org_a.facilitator, org_a.partner_support, org_a.manager) * 15:
        AuditEvent.objects.create(
            organisation=world.organisation,
            user=user,
            action=Action.VIEW,
            object_type="participants.participant",
            object_id=str(world.man.public_id),
        )
    client = client_for(org_a.manager)
    with django_assert_max_num_queries(10):
        client.get(reverse("audit_log"), {"person": world.man.reference})


# --- the audit log export ---------------------------------------------------------------


def _download(client, **params) -> list[list[str]]:
    response = client.get(reverse("audit_log_export"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_holds_the_searched_events_of_the_organisation(client_for, world, org_a, org_b):
    client_for(org_a.facilitator).get(
        _case_url("participants:detail", world), REMOTE_ADDR="203.0.113.5"
    )
    stranger = ParticipantFactory(organisation=org_b.organisation)
    client_for(org_b.facilitator).get(reverse("participants:detail", args=[stranger.public_id]))
    rows = _download(client_for(org_a.manager, reauthenticated=True), person=world.man.reference)
    header, *body = rows
    assert header == [
        "When",
        "User",
        "Action",
        "What happened",
        "Page",
        "Record",
        "Record id",
        "From",
        "Request id",
        "Through",
    ]
    assert len(body) == 1
    assert body[0][1:4] == [
        org_a.facilitator.username,
        "Viewed",
        f"Opened the case of {world.man.full_name}",
    ]
    assert body[0][4] == "http://testserver" + _case_url("participants:detail", world)
    assert body[0][5:8] == ["participants.participant", str(world.man.public_id), "203.0.113.5"]
    assert len(body[0][8]) == 32
    assert body[0][9] == "web"  # read on a page (a task or a command is named here)
    assert str(stranger.public_id) not in str(rows)


def test_the_export_is_audited_without_the_typed_search_words(client_for, world, org_a):
    client = client_for(org_a.manager, reauthenticated=True)
    _download(client, person=world.man.reference, action="view")
    _download(client, person=MAN["last_name"])
    first, second = AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk")
    assert (first.object_type, first.object_id) == ("dvpp.auditevent", "csv")
    assert first.what == f"audit log: record={world.man.public_id} action=view"
    assert MAN["last_name"] not in second.what


def test_the_export_cannot_carry_a_spreadsheet_formula(client_for, world, org_a):
    AuditEvent.objects.create(
        organisation=world.organisation,
        user=org_a.facilitator,
        action=Action.CHANGE,
        object_type="participants.participant",
        object_id="=HYPERLINK(1)",
        what='=cmd|" /C calc"!A0',
    )
    rows = _download(client_for(org_a.manager, reauthenticated=True), action="change")
    assert rows[1][3] == "Changed the case of (a case no longer held)"
    assert rows[1][6].startswith("'=")


def test_the_log_and_export_show_managers_nothing_of_her_record(client_for, world, org_a):
    partner = world.reached()
    client_for(org_a.partner_support).post(
        reverse("partners:add_attempt", args=[partner.public_id]),
        {"at": f"{_day(-1)}T10:00", "method": "call", "outcome": "no_answer"},
    )
    assert AuditEvent.objects.filter(object_id=str(partner.public_id)).exists()
    manager = client_for(org_a.manager, reauthenticated=True)
    rows = _download(manager, person=str(partner.public_id))
    assert rows[1:] == []
    page = manager.get(reverse("audit_log")).content.decode()
    assert "partners.partner" not in page


def test_the_export_query_count_does_not_grow(
    client_for, world, org_a, django_assert_max_num_queries
):
    for user in (org_a.facilitator, org_a.partner_support, org_a.manager) * 20:
        AuditEvent.objects.create(
            organisation=world.organisation,
            user=user,
            action=Action.VIEW,
            object_type="participants.participant",
            object_id=str(world.man.public_id),
        )
    client = client_for(org_a.manager, reauthenticated=True)
    with django_assert_max_num_queries(8):
        rows = _download(client)
    assert len(rows) > 60


# --- work done outside the pages ----------------------------------------------------------


def test_retention_records_each_erased_case_and_partner(world):
    from participants.retention import retention_apply

    partner = world.partner()
    Participant.objects.filter(pk=world.man.pk).update(
        status=Status.COMPLETED, status_changed_at=timezone.now() - datetime.timedelta(days=3650)
    )
    retention_apply(world.organisation, dry_run=False)
    erased = set(
        AuditEvent.objects.filter(action=Action.ERASE).values_list(
            "organisation", "user", "object_type", "object_id"
        )
    )
    assert erased == {
        (world.organisation.pk, None, "participants.participant", str(world.man.public_id)),
        (world.organisation.pk, None, "partners.partner", str(partner.public_id)),
    }


def test_a_dry_run_of_retention_records_nothing(world):
    from participants.retention import retention_apply

    Participant.objects.filter(pk=world.man.pk).update(
        status=Status.COMPLETED, status_changed_at=timezone.now() - datetime.timedelta(days=3650)
    )
    retention_apply(world.organisation, dry_run=True)
    assert not AuditEvent.objects.exists()


def test_a_user_changed_in_the_admin_site_is_audited_by_field_name(client_for, org_a):
    user = org_a.facilitator
    client_for(org_a.administrator, reauthenticated=True).post(
        reverse("admin:dvpp_user_change", args=[user.pk]),
        {
            "username": user.username,
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": "",
            "email": user.email,
            "organisation": org_a.organisation.pk,
            "role": Role.MANAGER,
            "is_active": "on",
        },
    )
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert (event.user, event.object_type, event.object_id) == (
        org_a.administrator,
        "dvpp.user",
        str(user.pk),
    )
    assert event.what == "admin: Role"


def test_a_case_opened_in_the_admin_site_is_a_read(client_for, world, org_a):
    client_for(org_a.administrator).get(
        reverse("admin:participants_participant_change", args=[world.man.pk])
    )
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.object_id, event.what) == (str(world.man.public_id), "admin")
