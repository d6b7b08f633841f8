"""Script, HTML and SQL typed into every free-text field of every form come back as text.

Each form class of the project has a scenario below that fills every one of its free-text
fields (found from the form itself, so a field added later is filled too) with the payload,
sends it the way the page does, then opens the pages that show the value. The raw payload must
never be in a page, its escaped form must be (where the value is shown at all), the value must
be stored exactly as typed, and the table the SQL names must still be there.
``test_every_form_has_a_scenario`` fails when a form class appears without one.
"""

import datetime
import importlib
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dvpp.models import User
from outcomes.models import Answer, Instrument
from participants.models import CaseTask, Participant, Status
from partners.models import Partner
from sessions.models import Attendance, Group, Session
from tests.factories import category_of, source_of

from .urls import World, free_day_after

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE participants_participant; --",
]
PROJECT = (
    "dvpp",
    "participants",
    "partners",
    "sessions",
    "outcomes",
    "consent",
    "evidence",
    "library",
)
TODAY = timezone.localdate()

# Free text (a plain CharField) that is not free: its own validation refuses the payload, which
# is the protection. Listed so that the exception is a decision, not an oversight.
VALIDATED = {
    ("ParticipantForm", "children_ages"): "ages as numbers (validate_ages)",
    ("PartnerForm", "email"): "an e-mail address (validate_email)",
}


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's own code."""
    for package in PROJECT:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" in info.name or info.name.endswith((".wsgi", ".asgi")):
                continue
            importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith(PROJECT)}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def free_text(form_class, fields=None) -> dict[str, int | None]:
    """Name → max length of each field a person can type any text into."""
    fields = form_class.base_fields if fields is None else fields
    return {
        name: field.max_length
        for name, field in fields.items()
        if type(field) is forms.CharField
        and not isinstance(field.widget, forms.PasswordInput)
        and (form_class.__name__, name) not in VALIDATED
    }


def filled(form_class, payload, *, prefix="", fields=None) -> dict[str, str]:
    return {
        f"{prefix}{name}": payload[:length] if length else payload
        for name, length in free_text(form_class, fields).items()
    }


@dataclass
class Outcome:
    pages: list[tuple[User, str]]  # (who looks, where) at the value
    stored: list[str] = field(default_factory=list)  # the values as saved
    shown: bool = True  # False where no page shows the value back (only stored)


@dataclass
class Context:
    world: World
    client_for: Callable

    def as_(self, user):
        return self.client_for(user, reauthenticated=True)

    @property
    def p(self):
        return self.world.personas


# --- the scenarios, one per form class ---------------------------------------------------------


def intake(ctx: Context, payload: str) -> Outcome:
    from participants.forms import ParticipantForm, ReferralForm

    body = {
        "person-date_of_birth": "1980-01-02",
        "person-preferred_language": "en",
        "person-reminder_channel": "sms",
        "referral-source": source_of(ctx.p.organisation).pk,
        "referral-made_on": TODAY.isoformat(),
        "referral-received_on": TODAY.isoformat(),
        # Court details are free text too: a statutory referral carries them.
        "referral-is_statutory": "on",
        "referral-order_end_on": (TODAY + datetime.timedelta(days=365)).isoformat(),
        **filled(ParticipantForm, payload, prefix="person-"),
        **filled(ReferralForm, payload, prefix="referral-"),
    }
    response = ctx.as_(ctx.p.facilitator).post(reverse("participants:intake"), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    man = Participant.objects.get(
        organisation=ctx.p.organisation, first_name=body["person-first_name"]
    )
    referral = man.referrals.get()
    return Outcome(
        pages=[
            (ctx.p.facilitator, reverse("participants:index")),
            (ctx.p.facilitator, response["Location"]),
            (ctx.p.facilitator, reverse("participants:edit", args=[man.public_id])),
            (ctx.p.facilitator, reverse("participants:progress", args=[man.public_id])),
            (ctx.p.partner_support, reverse("partners:create") + f"?man={man.public_id}"),
        ],
        stored=[man.last_name, man.phone, referral.reason, referral.referrer_name],
    )


def edit_case(ctx: Context, payload: str) -> Outcome:
    from participants.forms import ParticipantForm

    case = ctx.world.case
    body = {
        "date_of_birth": case.date_of_birth.isoformat(),
        "preferred_language": "en",
        "reminder_channel": "sms",
        **filled(ParticipantForm, payload),
    }
    url = reverse("participants:edit", args=[case.public_id])
    assert ctx.as_(ctx.p.facilitator).post(url, body).status_code == 302
    case.refresh_from_db()
    return Outcome(
        pages=[(ctx.p.facilitator, url), (ctx.p.manager, reverse("participants:index"))],
        stored=[case.first_name, case.previous_surnames],
    )


def add_referral(ctx: Context, payload: str) -> Outcome:
    from participants.forms import ReferralForm

    case = ctx.world.case
    body = {
        "source": source_of(ctx.p.organisation, "self").pk,
        "made_on": TODAY.isoformat(),
        "received_on": TODAY.isoformat(),
        "is_statutory": "on",
        "order_end_on": (TODAY + datetime.timedelta(days=365)).isoformat(),
        **filled(ReferralForm, payload),
    }
    client = ctx.as_(ctx.p.facilitator)
    assert client.post(reverse("participants:add_referral", args=[case.public_id]), body)
    referral = case.referrals.get(source__code="self")
    return Outcome(
        pages=[(ctx.p.facilitator, reverse("participants:detail", args=[case.public_id]))],
        stored=[referral.reason, referral.referrer_contact, referral.referrer_organisation],
    )


def _case_post(ctx, url_name, body, user=None) -> str:
    case = ctx.world.case
    client = ctx.as_(user or ctx.p.facilitator)
    response = client.post(reverse(url_name, args=[case.public_id]), body)
    assert response.status_code == 302
    return reverse("participants:detail", args=[case.public_id])


def change_status(ctx: Context, payload: str) -> Outcome:
    from participants.forms import StatusChangeForm

    page = _case_post(
        ctx,
        "participants:change_status",
        {"to_status": "withdrawn", **filled(StatusChangeForm, payload)},
    )
    return Outcome(
        pages=[(ctx.p.facilitator, page)],
        stored=[ctx.world.case.status_changes.get(to_status="withdrawn").reason],
    )


def decide_assessment(ctx: Context, payload: str) -> Outcome:
    from participants.forms import AssessmentDecisionForm

    page = _case_post(
        ctx,
        "participants:decide_assessment",
        {
            "outcome": "unsuitable",
            "decided_on": TODAY.isoformat(),
            **filled(AssessmentDecisionForm, payload),
        },
    )
    return Outcome(
        pages=[(ctx.p.facilitator, page), (ctx.p.manager, page)],
        stored=[ctx.world.case.assessments.get().outcome_reason],
    )


def add_note(ctx: Context, payload: str) -> Outcome:
    from participants.forms import CaseNoteForm

    page = _case_post(
        ctx,
        "participants:add_note",
        {"category": category_of(ctx.p.organisation).pk, **filled(CaseNoteForm, payload)},
    )
    return Outcome(pages=[(ctx.p.facilitator, page)], stored=[ctx.world.case.notes.get().text])


def comparison_group(ctx: Context, payload: str) -> Outcome:
    from evidence.forms import ComparisonCohortForm
    from evidence.models import ComparisonCohort

    body = {"window_months": "12", "men": "40", "men_with_incident": "12", "incidents": "15"}
    body.update(total_harm="900", **filled(ComparisonCohortForm, payload))
    response = ctx.as_(ctx.p.manager).post(reverse("evidence:add_comparison"), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    cohort = ComparisonCohort.objects.get(organisation=ctx.p.organisation)
    return Outcome(
        pages=[(ctx.p.manager, response["Location"])],
        stored=[cohort.name, cohort.source, cohort.description],
    )


def lookup_add(ctx: Context, payload: str) -> Outcome:
    from dvpp.lookups import NewEntryForm
    from participants.models import ExitReason

    url = reverse("lookup_list", args=["exit-reasons"])
    body = {"position": "0", "code": "xss", **filled(NewEntryForm, payload)}
    assert ctx.as_(ctx.p.manager).post(url, body).status_code == 302
    entry = ExitReason.objects.get(organisation=ctx.p.organisation, code="xss")
    return Outcome(pages=[(ctx.p.manager, url)], stored=[entry.label_en, entry.label_ru])


def lookup_edit(ctx: Context, payload: str) -> Outcome:
    from dvpp.lookups import EntryForm

    entry = ctx.world.exit_reason
    url = reverse("lookup_entry", args=["exit-reasons", entry.pk])
    body = {"position": "0", **filled(EntryForm, payload)}
    assert ctx.as_(ctx.p.manager).post(url, body).status_code == 302
    entry.refresh_from_db()
    return Outcome(
        pages=[
            (ctx.p.manager, reverse("lookup_list", args=["exit-reasons"])),
            (ctx.p.manager, url),
        ],
        stored=[entry.label_en, entry.label_ru],
    )


def non_completion_reason(ctx: Context, payload: str) -> Outcome:
    """Not a form class: the reason typed when confirming he did not complete (task_done)."""
    member = ctx.world.member
    task, _ = CaseTask.objects.get_or_create(
        participant=member,
        kind=CaseTask.Kind.CONFIRM_NON_COMPLETION,
        key="xss",
        defaults={"organisation_id": ctx.p.organisation.pk},
    )
    client = ctx.as_(ctx.p.facilitator)
    url = reverse("participants:task_done", args=[member.public_id, task.pk])
    assert client.post(url, {"reason": payload}).status_code == 302
    member.refresh_from_db()
    assert member.status == Status.WITHDRAWN
    return Outcome(
        pages=[(ctx.p.facilitator, reverse("participants:detail", args=[member.public_id]))],
        stored=[member.status_changes.get(to_status="withdrawn").reason],
    )


def group_create(ctx: Context, payload: str) -> Outcome:
    from sessions.forms import GroupForm

    start = TODAY + datetime.timedelta(days=3)
    body = {
        "programme": ctx.world.group.programme_id,
        "facilitator": ctx.p.manager.pk,
        "weekday": start.weekday(),
        "start_time": "08:00",
        "duration_minutes": 60,
        "start_date": start.isoformat(),
        "capacity": 8,
        "intake": "rolling",
        **filled(GroupForm, payload),
    }
    response = ctx.as_(ctx.p.manager).post(reverse("group_sessions:group_create"), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get(name=body["name"])
    return Outcome(
        pages=[
            (ctx.p.facilitator, reverse("group_sessions:index")),
            (ctx.p.facilitator, response["Location"]),
            (ctx.p.facilitator, reverse("group_sessions:today")),
        ],
        stored=[group.name, group.venue],
    )


def cancel_session(ctx: Context, payload: str) -> Outcome:
    from sessions.forms import CancelSessionForm

    session = ctx.world.future_session
    url = reverse("group_sessions:cancel", args=[session.public_id])
    assert (
        ctx.as_(ctx.p.facilitator).post(url, filled(CancelSessionForm, payload)).status_code == 302
    )
    session.refresh_from_db()
    return Outcome(
        pages=[(ctx.p.facilitator, reverse("group_sessions:register", args=[session.public_id]))],
        stored=[session.cancel_reason],
    )


def move_session(ctx: Context, payload: str) -> Outcome:
    from sessions.forms import MoveSessionForm

    session = ctx.world.future_session
    day = free_day_after(ctx.world, session.date)
    body = {"date": day.isoformat(), "start_time": "18:00", **filled(MoveSessionForm, payload)}
    url = reverse("group_sessions:move", args=[session.public_id])
    assert ctx.as_(ctx.p.facilitator).post(url, body).status_code == 302
    session = Session.objects.get(pk=session.pk)
    assert session.date == day
    register = reverse("group_sessions:register", args=[session.public_id])
    # The reason is kept for the record; no page shows it.
    return Outcome(pages=[(ctx.p.facilitator, register)], stored=[session.move_reason], shown=False)


def mark(ctx: Context, payload: str) -> Outcome:
    from sessions.forms import MarkForm

    session, member = ctx.world.past_session, ctx.world.member
    body = {"participant": str(member.public_id), "outcome": "late", **filled(MarkForm, payload)}
    client = ctx.as_(ctx.p.facilitator)
    url = reverse("group_sessions:mark", args=[session.public_id])
    row = client.post(url, body, headers={"HX-Request": "true"})
    assert row.status_code == 200
    outcome = _posted(row)  # the register row swapped in by htmx
    outcome.pages = [
        (ctx.p.facilitator, reverse("group_sessions:register", args=[session.public_id]))
    ]
    outcome.stored = [Attendance.objects.get(session=session, participant=member).note]
    return outcome


def note(ctx: Context, payload: str) -> Outcome:
    """A note typed after the tap, saved on its own (the man is marked in the world)."""
    from sessions.forms import NoteForm

    session, member = ctx.world.past_session, ctx.world.member
    body = {"participant": str(member.public_id), **filled(NoteForm, payload)}
    client = ctx.as_(ctx.p.facilitator)
    url = reverse("group_sessions:note", args=[session.public_id])
    state = client.post(url, body, headers={"HX-Request": "true"})
    assert state.status_code == 200
    outcome = _posted(state)
    outcome.pages = [
        (ctx.p.facilitator, reverse("group_sessions:register", args=[session.public_id]))
    ]
    outcome.stored = [Attendance.objects.get(session=session, participant=member).note]
    return outcome


def _partner_page(ctx) -> str:
    return reverse("partners:detail", args=[ctx.world.partner.public_id])


def _partner_body(payload):
    from partners.forms import PartnerForm

    return {
        "relationship": "partner",
        "safe_contact_method": "call",
        "language": "en",
        "state": "not_contacted",
        **filled(PartnerForm, payload),
    }


def partner_create(ctx: Context, payload: str) -> Outcome:
    body = {"participant": ctx.world.waiting.pk, **_partner_body(payload)}
    response = ctx.as_(ctx.p.partner_support).post(reverse("partners:create"), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    partner = Partner.objects.get(participant=ctx.world.waiting)
    return Outcome(
        pages=[
            (ctx.p.partner_support, response["Location"]),
            (ctx.p.partner_support, reverse("partners:index")),
            (ctx.p.partner_support, reverse("partners:edit", args=[partner.public_id])),
        ],
        stored=[partner.last_name, partner.address, partner.safe_contact_notes, partner.phone],
    )


def partner_edit(ctx: Context, payload: str) -> Outcome:
    partner = ctx.world.partner
    url = reverse("partners:edit", args=[partner.public_id])
    assert ctx.as_(ctx.p.partner_support).post(url, _partner_body(payload)).status_code == 302
    partner.refresh_from_db()
    return Outcome(
        pages=[(ctx.p.partner_support, _partner_page(ctx)), (ctx.p.partner_support, url)],
        stored=[partner.first_name, partner.safe_contact_notes],
    )


def _partner_post(ctx, url_name, body, *args):
    url = reverse(url_name, args=[ctx.world.partner.public_id, *args])
    response = ctx.as_(ctx.p.partner_support).post(url, body)
    assert response.status_code == 302


def assess_risk(ctx: Context, payload: str) -> Outcome:
    from partners.forms import RiskForm

    body = {
        "assessed_on": TODAY.isoformat(),
        "professional_judgement": "on",
        "answer_1": "yes",
        **filled(RiskForm, payload),
    }
    _partner_post(ctx, "partners:assess_risk", body)
    # The reasons are kept encrypted for the record; the page shows only that judgement was used.
    return Outcome(
        pages=[(ctx.p.partner_support, _partner_page(ctx))],
        stored=[ctx.world.partner.assessments.get().judgement_note],
        shown=False,
    )


def save_plan(ctx: Context, payload: str) -> Outcome:
    from partners.forms import SafetyPlanForm

    review = (TODAY + datetime.timedelta(days=7)).isoformat()
    _partner_post(
        ctx, "partners:save_plan", {"review_on": review, **filled(SafetyPlanForm, payload)}
    )
    plan = ctx.world.partner.safety_plans.get()
    return Outcome(
        pages=[(ctx.p.partner_support, _partner_page(ctx))],
        stored=[plan.contacts, plan.safe_places, plan.warning_signs, plan.children],
    )


def add_checkin(ctx: Context, payload: str) -> Outcome:
    from partners.forms import CheckInForm

    body = {
        "on": TODAY.isoformat(),
        "method": "call",
        "feels_safe": "fairly",
        "risk_level_after": "low",
        "next_due": (TODAY + datetime.timedelta(days=7)).isoformat(),
        **filled(CheckInForm, payload),
    }
    _partner_post(ctx, "partners:add_checkin", body)
    return Outcome(
        pages=[(ctx.p.partner_support, _partner_page(ctx))],
        stored=[ctx.world.partner.checkins.get().actions],
    )


def update_marac(ctx: Context, payload: str) -> Outcome:
    from partners.forms import MaracForm

    body = {"referred_on": TODAY.isoformat(), **filled(MaracForm, payload)}
    _partner_post(ctx, "partners:update_marac", body, ctx.world.marac.pk)
    ctx.world.marac.refresh_from_db()
    return Outcome(
        pages=[(ctx.p.partner_support, _partner_page(ctx))], stored=[ctx.world.marac.outcome]
    )


def surveys(ctx: Context, payload: str) -> Outcome:
    from outcomes.forms import ResponseForm

    stored = []
    for code, user, url_name, person in (
        ("men-self-report", ctx.p.facilitator, "outcomes:man_survey", ctx.world.case),
        ("partner-safety", ctx.p.partner_support, "outcomes:partner_survey", ctx.world.partner),
    ):
        instrument = Instrument.objects.get(organisation=ctx.p.organisation, code=code)
        form = ResponseForm(instrument=instrument)
        body = {"wave": "baseline", "answered_on": TODAY.isoformat()}
        for name, form_field in form.fields.items():
            if isinstance(form_field, forms.ChoiceField) and name.startswith("q_"):
                body[name] = form_field.choices[0][0]
            elif isinstance(form_field, forms.IntegerField):
                body[name] = form_field.min_value or 1
        body.update(filled(ResponseForm, payload, fields=form.fields))
        assert free_text(ResponseForm, form.fields), code  # the survey has a text question
        url = reverse(url_name, args=[person.public_id, code])
        response = ctx.as_(user).post(url, body)
        assert response.status_code == 302, response.content.decode()[:3000]
        stored += list(
            Answer.objects.filter(
                response__instrument=instrument, question__kind="text"
            ).values_list("value", flat=True)
        )
    # Answers feed the dashboard's figures; free-text answers are not shown on a page.
    return Outcome(
        pages=[
            (ctx.p.manager, reverse("outcomes:index")),
            (ctx.p.facilitator, reverse("participants:detail", args=[ctx.world.case.public_id])),
        ],
        stored=stored,
        shown=False,
    )


def publish_package(ctx: Context, payload: str) -> Outcome:
    from library.forms import PublishForm
    from library.models import Package

    package = ctx.world.package
    body = {
        "coalition": package.coalition_id,
        "programme": package.programme_id,
        **filled(PublishForm, payload),
    }
    response = ctx.as_(ctx.p.manager).post(reverse("library:publish"), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    published = Package.objects.get(key=package.key, version=2)
    return Outcome(
        pages=[
            (ctx.p.manager, response["Location"]),
            (ctx.p.manager, reverse("library:package", args=[package.key, 1])),
        ],
        stored=[published.change_note_en, published.change_note_ru],
    )


def upload_package(ctx: Context, payload: str) -> Outcome:
    """Not typed into a field: a package file whose programme and week carry the values."""
    from library import services
    from library.models import ImportedFrom
    from sessions.curriculum import programme_install_cautioning

    programme = programme_install_cautioning(ctx.p.organisation)
    programme.name_en = payload
    programme.save()
    programme.themes.filter(number=1).update(title_en=payload, plan_en=payload)
    package = services.package_publish(
        organisation=ctx.p.organisation,
        by=ctx.p.manager,
        coalition=ctx.world.package.coalition,
        programme=programme,
        instruments=[],
        change_note_en=payload,
    )
    upload = SimpleUploadedFile("package.zip", services.package_file_build(package))
    response = ctx.as_(ctx.p.manager).post(reverse("library:upload"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    copy = ImportedFrom.objects.get(key=package.key).programme
    return Outcome(
        pages=[
            (ctx.p.manager, reverse("library:index")),
            (ctx.p.manager, reverse("library:package", args=[package.key, package.version])),
            (ctx.p.facilitator, reverse("group_sessions:group_create")),
        ],
        stored=[copy.name_en, copy.themes.get(number=1).title_en],
    )


def import_referrals(ctx: Context, payload: str) -> Outcome:
    """Not typed into a field: the same values arriving in a spreadsheet."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "last_name",
            "first_name",
            "date_of_birth",
            "source",
            "referrer_organisation",
            "made_on",
            "received_on",
            "reason",
        ]
    )
    writer.writerow(
        [
            payload,
            "Imported",
            "1979-03-12",
            "self",
            payload,
            TODAY.isoformat(),
            TODAY.isoformat(),
            payload,
        ]
    )
    upload = SimpleUploadedFile("referrals.csv", buffer.getvalue().encode())
    client = ctx.as_(ctx.p.manager)
    response = client.post(reverse("participants:import"), {"file": upload})
    assert response.status_code == 200
    man = Participant.objects.get(first_name="Imported")
    return Outcome(
        pages=[
            (ctx.p.manager, reverse("participants:index")),
            (ctx.p.manager, reverse("participants:detail", args=[man.public_id])),
        ],
        stored=[man.last_name, man.referrals.get().reason],
    )


def _echo(url_name, field_name, user_attr):
    """A search box: what was typed is shown back in the box."""

    def scenario(ctx: Context, payload: str) -> Outcome:
        url = reverse(url_name) + "?" + _query({field_name: payload})
        return Outcome(pages=[(getattr(ctx.p, user_attr), url)])

    return scenario


def _query(values):
    from urllib.parse import urlencode

    return urlencode(values)


def erase_confirmation(ctx: Context, payload: str) -> Outcome:
    """The typed confirmation is shown back when it does not match: as text."""
    from participants.services import participant_change_status

    case = ctx.world.case
    participant_change_status(participant=case, to_status="withdrawn", by=ctx.p.manager, reason="r")
    url = reverse("participants:erase", args=[case.public_id])
    response = ctx.as_(ctx.p.manager).post(url, {"confirmation": payload})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.last_name and not case.erased_at  # not erased: the typed text did not match
    return _posted(response)


def _posted(response) -> Outcome:
    """The page a POST answered with is itself the page to check."""
    outcome = Outcome(pages=[], shown=True)
    outcome.response = response
    return outcome


def second_factor_code(ctx: Context, payload: str) -> Outcome:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = ctx.p.facilitator
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = ctx.client_for(user, second_factor=False)
    response = client.post(reverse("two_factor_verify"), {"code": payload})
    outcome = _posted(response)
    outcome.shown = False  # a code box is not filled back in; the page must just not run it
    return outcome


def reauthentication(ctx: Context, payload: str) -> Outcome:
    client = ctx.client_for(ctx.p.manager)
    response = client.post(reverse("reauthenticate"), {"password": payload, "code": payload})
    outcome = _posted(response)
    outcome.shown = False
    return outcome


def sign_in(ctx: Context, payload: str) -> Outcome:
    """Django's own sign-in form, on our page: the username typed is shown back."""
    from django.test import Client

    response = Client().post(reverse("login"), {"username": payload, "password": "x"})
    return _posted(response)


SCENARIOS: dict[str, list[Callable[[Context, str], Outcome]]] = {
    "participants.forms.ParticipantForm": [intake, edit_case],
    "participants.forms.ReferralForm": [intake, add_referral],
    "participants.forms.StatusChangeForm": [change_status],
    "participants.forms.AssessmentDecisionForm": [decide_assessment],
    "participants.forms.CaseNoteForm": [add_note],
    "participants.forms.ParticipantFilterForm": [_echo("participants:index", "q", "facilitator")],
    "sessions.forms.GroupForm": [group_create],
    "sessions.forms.CancelSessionForm": [cancel_session],
    "sessions.forms.MoveSessionForm": [move_session],
    "sessions.forms.MarkForm": [mark],
    "sessions.forms.NoteForm": [note],
    "partners.forms.PartnerForm": [partner_create, partner_edit],
    "partners.forms.RiskForm": [assess_risk],
    "partners.forms.SafetyPlanForm": [save_plan],
    "partners.forms.CheckInForm": [add_checkin],
    "partners.forms.MaracForm": [update_marac],
    "outcomes.forms.ResponseForm": [surveys],
    "dvpp.forms.AuditFilterForm": [_echo("audit_log", "person", "manager")],
    "dvpp.forms.ErasureConfirmForm": [erase_confirmation],
    "dvpp.imports.ImportForm": [import_referrals],
    "dvpp.two_factor.CodeForm": [second_factor_code],
    "dvpp.reauth.ReauthenticationForm": [reauthentication],
    "dvpp.lookups.NewEntryForm": [lookup_add],
    "dvpp.lookups.EntryForm": [lookup_edit],
    "evidence.forms.ComparisonCohortForm": [comparison_group],
    "library.forms.PublishForm": [publish_package],
    "library.forms.UploadForm": [upload_package],
}
# Free text typed outside any form class of ours.
EXTRA_SCENARIOS = [
    non_completion_reason,
    _echo("partners:index", "q", "partner_support"),
    sign_in,
]


def _all_scenarios():
    seen, result = set(), []
    for scenarios in [*SCENARIOS.values(), EXTRA_SCENARIOS]:
        for scenario in scenarios:
            if scenario not in seen:
                seen.add(scenario)
                result.append(scenario)
    return result


def _scenario_id(scenario) -> str:
    for form_path, scenarios in SCENARIOS.items():
        if scenario in scenarios and scenario.__name__ == "scenario":
            return f"search-{form_path.rsplit('.', 1)[1]}"
    if scenario.__name__ == "scenario":
        return "search-partners-index"
    return scenario.__name__


def test_every_form_has_a_scenario():
    missing = []
    for form_class in project_forms():
        path = f"{form_class.__module__}.{form_class.__qualname__}"
        if path in SCENARIOS:
            continue
        # A form without free text (dates, choices, ids) needs no scenario; one gains free text
        # → it fails here.
        if free_text(form_class) or any(
            isinstance(f, forms.FileField) for f in form_class.base_fields.values()
        ):
            missing.append(path)
    assert not missing, f"add an XSS scenario in tests/security/test_xss.py for: {missing}"


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img", "sql"])
@pytest.mark.parametrize("scenario", _all_scenarios(), ids=_scenario_id)
def test_payloads_come_back_as_text(client_for, world_a, scenario, payload):
    ctx = Context(world=world_a, client_for=client_for)
    outcome = scenario(ctx, payload)
    bodies = []
    if hasattr(outcome, "response"):
        bodies.append(("(the POST's answer)", outcome.response.content.decode()))
    for user, url in outcome.pages:
        response = ctx.as_(user).get(url)
        assert response.status_code == 200, url
        bodies.append((url, response.content.decode()))
    assert bodies
    for url, body in bodies:
        assert payload not in body, url
        assert "<script>alert(1)</script>" not in body, url
        assert "<img src=x" not in body, url
    if outcome.shown:
        assert any(escape(payload) in body for _url, body in bodies), "the value is not shown"
    for value in outcome.stored:
        assert value in {payload, payload[: len(value)]} and value, value
    assert "participants_participant" in connection.introspection.table_names()
    assert Participant.objects.filter(pk=world_a.case.pk).exists()
