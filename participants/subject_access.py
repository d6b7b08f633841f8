"""A man's subject-access package: everything the service holds about him, and nothing about
anyone else.

Nothing here reads the partners app: a man's record has no way to his partners, and his package
must never carry anything about them. Two things on his record come from the partner support
side and are left out, because he is the reader: the heightened-risk flags (raised when a
partner's risk rises or she reports an incident, so their dates say when she spoke) and the day
her details were passed to partner support.

What the apps above hold about him (his places in groups and attendance, his consents, his
incidents and change assessment, his own surveys) they add through
``dvpp.hooks.subject_access_sections``; :data:`SECTIONS` is the package's order.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dvpp import hooks
from dvpp.models import Notification, Role
from dvpp.subject_access import Section, Value, audit_section, choice, columns, in_order, package

from .models import (
    Assessment,
    AssessmentAppointment,
    CaseNote,
    CaseTask,
    Participant,
    Referral,
    RetentionRecord,
    StatusChange,
)

MESSAGE_KINDS = ("reminder", "cancel", "move")

# The package's sections in order, by key: his own record, what the apps above add about him,
# then the messages sent to him, the retention of his case and the audit log.
SECTIONS = (
    "person",
    "referrals",
    "status_history",
    "assessments",
    "assessment_appointments",
    "case_notes",
    "case_tasks",
    "consents",  # consent
    "enrolments",  # sessions
    "attendance",  # sessions
    "incidents",  # evidence
    "change_assessment",  # evidence
    "survey_responses",  # outcomes
    "survey_answers",  # outcomes
    "messages",
    "retention",
    "audit_events",
)


def messages_to(participant: Participant) -> QuerySet[Notification]:
    """The messages queued or sent to him: keys end in ``:<his id>:<channel>``
    (see ``sessions.reminders._notify_men``)."""
    ends = Q()
    for channel in Notification.Channel.values:
        ends |= Q(key__endswith=f":{participant.pk}:{channel}")
    return Notification.objects.filter(
        ends, organisation_id=participant.organisation_id, kind__in=MESSAGE_KINDS
    )


def _person(p: Participant) -> Section:
    return Section(
        "person",
        _("Personal details"),
        columns(
            Participant,
            "reference",
            "last_name",
            "first_name",
            "patronymic",
            "previous_surnames",
            "date_of_birth",
            "phone",
            "email",
            "preferred_language",
            "reminder_consent",
            "reminder_channel",
            "status",
            "status_changed_at",
            "risk_level",
            "risk_set_on",
            "children_count",
            "children_ages",
            "created_at",
            "anonymised_at",
            "erased_at",
        ),
        [
            {
                "reference": p.reference,
                "last_name": p.last_name,
                "first_name": p.first_name,
                "patronymic": p.patronymic,
                "previous_surnames": [
                    s.strip() for s in p.previous_surnames.split(",") if s.strip()
                ],
                "date_of_birth": p.date_of_birth,
                "phone": p.phone,
                "email": p.email,
                "preferred_language": choice(p, "preferred_language"),
                "reminder_consent": p.reminder_consent,
                "reminder_channel": choice(p, "reminder_channel"),
                "status": choice(p, "status"),
                "status_changed_at": p.status_changed_at,
                "risk_level": choice(p, "risk_level"),
                "risk_set_on": p.risk_set_on,
                "children_count": p.children_count,
                "children_ages": p.children_ages,
                "created_at": p.created_at,
                "anonymised_at": p.anonymised_at,
                "erased_at": p.erased_at,
            }
        ],
        single=True,
    )


def _referrals(p: Participant) -> Section:
    referrals = Referral.objects.filter(participant=p).select_related("source")
    return Section(
        "referrals",
        _("Referrals"),
        columns(
            Referral,
            "source",
            "referrer_organisation",
            "referrer_name",
            "referrer_contact",
            "made_on",
            "received_on",
            "reason",
            "is_statutory",
            "order_start_on",
            "order_end_on",
            "consent_to_share",
        ),
        [
            {
                "source": Value(r.source.code, r.source.label),
                "referrer_organisation": r.referrer_organisation,
                "referrer_name": r.referrer_name,
                "referrer_contact": r.referrer_contact,
                "made_on": r.made_on,
                "received_on": r.received_on,
                "reason": r.reason,
                "is_statutory": r.is_statutory,
                "order_start_on": r.order_start_on,
                "order_end_on": r.order_end_on,
                "consent_to_share": r.consent_to_share,
            }
            for r in referrals.order_by("received_on", "pk")
        ],
    )


def _status_history(p: Participant) -> Section:
    changes = StatusChange.objects.filter(participant=p).order_by("changed_at", "pk")
    return Section(
        "status_history",
        _("Status history"),
        columns(StatusChange, "changed_at", "from_status", "to_status", "reason"),
        [
            {
                "changed_at": c.changed_at,
                "from_status": choice(c, "from_status"),
                "to_status": choice(c, "to_status"),
                "reason": Value(c.reason, c.reason_display),
            }
            for c in changes
        ],
    )


def _assessments(p: Participant) -> list[Section]:
    assessments = list(Assessment.objects.filter(participant=p).order_by("created_at", "pk"))
    appointments = AssessmentAppointment.objects.filter(assessment__participant=p).order_by(
        "date", "pk"
    )
    return [
        Section(
            "assessments",
            _("Assessments"),
            [
                ("id", pgettext("record number", "Number")),
                *columns(Assessment, "outcome", "outcome_reason", "risk_level", "decided_on"),
            ],
            [
                {
                    "id": a.pk,
                    "outcome": choice(a, "outcome"),
                    "outcome_reason": a.outcome_reason,
                    "risk_level": choice(a, "risk_level"),
                    "decided_on": a.decided_on,
                }
                for a in assessments
            ],
        ),
        Section(
            "assessment_appointments",
            _("Assessment appointments"),
            [
                ("assessment", _("Assessment number")),
                *columns(AssessmentAppointment, "date", "attended"),
            ],
            [
                {"assessment": a.assessment_id, "date": a.date, "attended": a.attended}
                for a in appointments
            ],
        ),
    ]


def _notes(p: Participant) -> Section:
    notes = CaseNote.objects.filter(participant=p).select_related("category")
    return Section(
        "case_notes",
        _("Case notes"),
        [
            ("id", pgettext("record number", "Number")),
            *columns(CaseNote, "created_at", "category", "text", "corrects"),
        ],
        [
            {
                "id": n.pk,
                "created_at": n.created_at,
                "category": Value(n.category.code, n.category.label),
                "text": n.text,
                # A correction is a new note: this is the number of the note it corrects.
                "corrects": n.corrects_id,
            }
            for n in notes.order_by("created_at", "pk")
        ],
    )


def _tasks(p: Participant) -> Section:
    tasks = CaseTask.objects.filter(participant=p).order_by("created_at", "pk")
    return Section(
        "case_tasks",
        _("Case tasks"),
        columns(CaseTask, "kind", "detail", "created_at", "done_at"),
        [
            {
                "kind": choice(t, "kind"),
                "detail": t.detail,
                "created_at": t.created_at,
                "done_at": t.done_at,
            }
            for t in tasks
        ],
    )


def _messages(p: Participant) -> Section:
    messages = messages_to(p).order_by("created_at", "pk")
    return Section(
        "messages",
        _("Messages sent"),
        columns(Notification, "created_at", "channel", "to", "subject", "body", "state"),
        [
            {
                "created_at": m.created_at,
                "channel": choice(m, "channel"),
                "to": m.to,
                "subject": m.subject,
                "body": m.body,
                "state": choice(m, "state"),
            }
            for m in messages
        ],
    )


def _retention(p: Participant) -> Section:
    records = RetentionRecord.objects.filter(
        organisation_id=p.organisation_id, reference=p.reference
    ).order_by("anonymised_at")
    return Section(
        "retention",
        _("Retention"),
        columns(RetentionRecord, "closed_on", "anonymised_at", "removed"),
        [
            {"closed_on": r.closed_on, "anonymised_at": r.anonymised_at, "removed": r.removed}
            for r in records
        ],
    )


def man_sections(participant: Participant) -> list[Section]:
    """Everything held about him, in a fixed number of queries however long his record."""
    return in_order(
        [
            _person(participant),
            _referrals(participant),
            _status_history(participant),
            *_assessments(participant),
            _notes(participant),
            _tasks(participant),
            _messages(participant),
            _retention(participant),
            # Partner support workers open his case for her safety: when they did stays unsaid.
            audit_section(
                object_type=Participant._meta.label_lower,
                object_id=str(participant.public_id),
                leave_out_roles=[Role.PARTNER_SUPPORT],
            ),
            *hooks.subject_access_sections.call_flat(subject=participant),
        ],
        SECTIONS,
    )


def man_package(*, participant: Participant) -> bytes:
    """The ZIP for his subject-access request (see ``dvpp.subject_access.package``)."""
    return package(
        subject="man",
        title=_("Information held about case %(reference)s") % {"reference": participant.reference},
        organisation=participant.organisation.name,
        sections=man_sections(participant),
        notes=[
            _(
                "This is everything the service holds about this person, except what would "
                "identify another person or put them at risk."
            )
        ],
    )
