"""A partner's subject-access package: everything the partner support service holds about her.

Made only by a partner support worker of her organisation (the wall). It carries her own record
and nothing of the man's case: not his name, his reference or his programme status, and not
why a task to contact her was raised (that is about his attendance). His is made on his side
(``participants.subject_access``) and never reads anything here.

What the apps above hold about her (her consents, her surveys, the incidents she reported) they
add through ``dvpp.hooks.subject_access_sections``; :data:`SECTIONS` is the package's order.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dvpp import hooks
from dvpp.subject_access import Section, Value, audit_section, choice, columns, in_order, package

from .models import (
    Answer,
    CheckIn,
    ContactAttempt,
    IncidentType,
    MaracReferral,
    Partner,
    PartnerTask,
    RiskAssessment,
    RiskLowering,
    SafetyPlan,
)

# The package's sections in order, by key: her own record, what the apps above add about her,
# then the audit log.
SECTIONS = (
    "person",
    "contact_attempts",
    "risk_assessments",
    "risk_answers",
    "marac_referrals",
    "risk_lowerings",
    "safety_plans",
    "checkins",
    "tasks",
    "consents",  # consent
    "survey_responses",  # outcomes
    "survey_answers",  # outcomes
    "reported_incidents",  # evidence
    "audit_events",
)


def _person(p: Partner) -> Section:
    names = (
        "last_name",
        "first_name",
        "patronymic",
        "relationship",
        "living_together",
        "phone",
        "email",
        "address",
        "safe_contact_method",
        "safe_contact_notes",
        "language",
        "children_count",
        "children_ages",
        "children_shared",
        "consent_to_contact",
        "consent_scope",
        "referred_on",
        "state",
        "risk_level",
        "created_at",
        "erased_at",
    )
    choices = {"relationship", "safe_contact_method", "language", "state", "risk_level"}
    return Section(
        "person",
        _("Personal details"),
        [("id", _("Record number")), *columns(Partner, *names)],
        [
            {
                "id": str(p.public_id),
                **{
                    name: choice(p, name) if name in choices else getattr(p, name) for name in names
                },
            }
        ],
        single=True,
    )


def _contact(p: Partner) -> Section:
    attempts = ContactAttempt.objects.filter(partner=p).order_by("at", "pk")
    return Section(
        "contact_attempts",
        _("Contact attempts"),
        columns(ContactAttempt, "at", "method", "outcome"),
        [
            {"at": a.at, "method": choice(a, "method"), "outcome": choice(a, "outcome")}
            for a in attempts
        ],
    )


def _risk(p: Partner) -> list[Section]:
    assessments = list(
        RiskAssessment.objects.filter(partner=p)
        .select_related("checklist")
        .prefetch_related("checklist__items")
        .order_by("assessed_on", "pk")
    )
    answers = [
        {
            "assessment": a.pk,
            "number": item.number,
            "question": item.text,
            # Yes, no or not asked, in her words' language (never "not asked" shown as "no").
            "answer": Value(a.answer(item.number), str(Answer(a.answer(item.number)).label)),
        }
        for a in assessments
        for item in a.checklist.items.all()
    ]
    referrals = MaracReferral.objects.filter(partner=p).order_by("raised_at", "pk")
    return [
        Section(
            "risk_assessments",
            _("Risk assessments"),
            [
                ("id", pgettext("record number", "Number")),
                ("checklist", _("Checklist")),
                *columns(
                    RiskAssessment,
                    "assessed_on",
                    "score",
                    "professional_judgement",
                    "judgement_note",
                    "risk_level",
                ),
            ],
            [
                {
                    "id": a.pk,
                    "checklist": Value(a.checklist.version, str(a.checklist)),
                    "assessed_on": a.assessed_on,
                    "score": a.score,
                    "professional_judgement": a.professional_judgement,
                    "judgement_note": a.judgement_note,
                    "risk_level": choice(a, "risk_level"),
                }
                for a in assessments
            ],
        ),
        Section(
            "risk_answers",
            _("Risk checklist answers"),
            [
                ("assessment", _("Assessment number")),
                ("number", _("Question number")),
                ("question", _("Question")),
                ("answer", _("Answer")),
            ],
            answers,
        ),
        Section(
            "marac_referrals",
            _("MARAC referrals"),
            [
                ("raised_at", _("Raised")),
                *columns(MaracReferral, "referred_on", "meeting_on", "outcome"),
            ],
            [
                {
                    "raised_at": r.raised_at,
                    "referred_on": r.referred_on,
                    "meeting_on": r.meeting_on,
                    "outcome": r.outcome,
                }
                for r in referrals
            ],
        ),
        Section(
            "risk_lowerings",
            _("Risk level lowered"),
            columns(RiskLowering, "at", "from_level", "to_level", "reason"),
            [
                {
                    "at": lowering.at,
                    "from_level": choice(lowering, "from_level"),
                    "to_level": choice(lowering, "to_level"),
                    "reason": lowering.reason,
                }
                for lowering in RiskLowering.objects.filter(partner=p).order_by("at", "pk")
            ],
        ),
    ]


def _plans(p: Partner) -> Section:
    plans = SafetyPlan.objects.filter(partner=p).order_by("version")
    return Section(
        "safety_plans",
        _("Safety plans"),
        [
            *columns(SafetyPlan, "version"),
            ("created_at", _("Saved")),
            *columns(
                SafetyPlan, "review_on", "contacts", "safe_places", "warning_signs", "children"
            ),
        ],
        [
            {
                "version": s.version,
                "created_at": s.created_at,
                "review_on": s.review_on,
                "contacts": s.contacts,
                "safe_places": s.safe_places,
                "warning_signs": s.warning_signs,
                "children": s.children,
            }
            for s in plans
        ],
    )


def _checkins(p: Partner) -> Section:
    checkins = CheckIn.objects.filter(partner=p).order_by("on", "pk")
    return Section(
        "checkins",
        _("Safety check-ins"),
        columns(
            CheckIn,
            "on",
            "method",
            "feels_safe",
            "incidents",
            "injuries",
            "police_called",
            "actions",
            "risk_level_after",
            "next_due",
        ),
        [
            {
                "on": c.on,
                "method": choice(c, "method"),
                "feels_safe": choice(c, "feels_safe"),
                "incidents": [Value(code, str(IncidentType(code).label)) for code in c.incidents],
                "injuries": c.injuries,
                "police_called": c.police_called,
                "actions": c.actions,
                "risk_level_after": choice(c, "risk_level_after"),
                "next_due": c.next_due,
            }
            for c in checkins
        ],
    )


def _tasks(p: Partner) -> Section:
    tasks = PartnerTask.objects.filter(partner=p).order_by("due_on", "pk")
    return Section(
        "tasks",
        _("Tasks of the partner support service"),
        columns(PartnerTask, "kind", "due_on", "done_at"),
        [{"kind": choice(t, "kind"), "due_on": t.due_on, "done_at": t.done_at} for t in tasks],
    )


def partner_sections(partner: Partner) -> list[Section]:
    """Everything held about her, in a fixed number of queries however long her record."""
    return in_order(
        [
            _person(partner),
            _contact(partner),
            *_risk(partner),
            _plans(partner),
            _checkins(partner),
            _tasks(partner),
            audit_section(object_type=Partner._meta.label_lower, object_id=str(partner.public_id)),
            *hooks.subject_access_sections.call_flat(subject=partner),
        ],
        SECTIONS,
    )


def partner_package(*, partner: Partner) -> bytes:
    """The ZIP for her subject-access request (see ``dvpp.subject_access.package``)."""
    return package(
        subject="partner",
        title=_("Information held by the partner support service"),
        organisation=partner.organisation.name,
        sections=partner_sections(partner),
        notes=[
            _(
                "This is everything the partner support service holds about this person. It "
                "leaves out the case of the man on the programme, which is about him."
            )
        ],
    )
