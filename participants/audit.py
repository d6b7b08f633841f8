"""The audit log in words, for the events on men's cases (see :func:`dvpp.audit.describe_events`).

Higher apps word the events they wrote on a man's case (an attendance mark, a consent) with
:func:`describe_case_events`; what is left of his case's events is worded here."""

from collections.abc import Callable, Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from dvpp.access import Area, user_can
from dvpp.audit import Description, choice_label, field_names, parse
from dvpp.models import AuditEvent

from .models import CaseTask, Participant, RetentionRecord, RiskFlag, RiskLevel, Status

CASE = "participants.participant"
Action = AuditEvent.Action

# A translated sentence with %(name)s for his name, and its other values.
Wording = tuple[str, dict]


def cases_by_id(public_ids: Iterable[str], *, viewer) -> dict[str, Participant]:
    """The viewer's organisation's cases by public id, in one query."""
    wanted = {public_id for public_id in public_ids if _is_uuid(public_id)}
    if not wanted:
        return {}
    cases = Participant.objects.filter(
        organisation_id=viewer.organisation_id, public_id__in=wanted
    ).only("public_id", "reference", "last_name", "first_name", "patronymic", "anonymised_at")
    return {str(case.public_id): case for case in cases}


def case_name(case: Participant | None) -> str:
    """His name; an anonymised or erased case by its reference; a case no longer held, so."""
    if case is None:
        return _("(a case no longer held)")
    if case.anonymised_at is not None:
        return _("case %(reference)s (anonymised)") % {"reference": case.reference}
    return case.full_name


def case_url(case: Participant | None) -> str:
    if case is None:
        return ""
    return reverse("participants:detail", kwargs={"public_id": case.public_id})


def describe_case_events(
    events: Sequence[AuditEvent],
    wording: Callable[[AuditEvent], Wording | None],
    *,
    viewer,
    url: Callable[[AuditEvent, Participant | None], str] | None = None,
) -> dict[int, Description]:
    """The events on men's cases that ``wording`` knows (it answers None for the others): his
    name put into each sentence, each linked to his case (or to ``url``'s page). One query
    for the whole page, and none when ``wording`` knows none of them."""
    worded = [
        (event, found)
        for event in events
        if event.object_type == CASE and (found := wording(event)) is not None
    ]
    if not worded:
        return {}
    cases = cases_by_id((event.object_id for event, _found in worded), viewer=viewer)
    described = {}
    for event, (text, values) in worded:
        case = cases.get(event.object_id)
        link = url(event, case) if url is not None else case_url(case)
        described[event.pk] = (text % {**values, "name": case_name(case)}, link)
    return described


def describe(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    # Asked after every higher app: what is left of his case's events is worded here.
    described = describe_case_events(
        events, lambda event: _wording(event) or generic_case_wording(event), viewer=viewer
    )
    described.update(_describe_flags(events, viewer=viewer))
    described.update(_describe_destruction(events, viewer=viewer))
    for event in events:
        if event.object_type == "participants.referral" and event.object_id == "import":
            described[event.pk] = _import_wording(event), reverse("participants:index")
    return described


def _moved(what: str) -> str:
    """The status move a write caused, appended to its code as "; status a→b"."""
    found = parse(what.partition(";")[2].strip(), r"status (\w*)→(\w+)") if ";" in what else None
    if found is None:
        return ""
    return " " + _("(moved to “%(status)s”)") % {"status": choice_label(Status, found[2])}


def _wording(event: AuditEvent) -> Wording | None:
    what, action = event.what, event.action
    if action == Action.VIEW and what == "":
        return _("Opened the case of %(name)s"), {}
    if action == Action.ERASE and what.startswith("anonymised"):
        return _("Anonymised the case of %(name)s: its retention period was over"), {}
    fixed = {
        (Action.CREATE, "case opened (intake)"): _("Took in a new case: %(name)s"),
        (Action.VIEW, "details form"): _("Opened the details form of %(name)s"),
        (Action.VIEW, "progress report"): _("Opened the progress report of %(name)s"),
        (Action.EXPORT, "progress report (PDF)"): _(
            "Downloaded the progress report of %(name)s (PDF)"
        ),
        (Action.SUBJECT_ACCESS, ""): _("Downloaded the subject access package of %(name)s"),
        (Action.ERASE, ""): _("Erased the case of %(name)s at his request"),
        (Action.REFUSED, "erase"): _("Was refused erasing the case of %(name)s"),
        (Action.VIEW, "admin"): _("Opened the case of %(name)s in the admin site"),
        (Action.CREATE, "admin"): _("Added the case of %(name)s in the admin site"),
        (Action.DELETE, "admin"): _("Deleted the case of %(name)s in the admin site"),
    }
    if (action, what) in fixed:
        return fixed[action, what], {}
    if found := parse(what, r"details: (.*)"):
        fields = field_names(Participant, found[1].split(","))
        if not fields:
            return _("Saved the details of %(name)s, unchanged"), {}
        return _("Changed the details of %(name)s: %(fields)s"), {"fields": fields}
    if found := parse(what, r"status: (\w*)→(\w+)"):
        return _("Moved the case of %(name)s from “%(from)s” to “%(to)s”"), {
            "from": choice_label(Status, found[1]),
            "to": choice_label(Status, found[2]),
        }
    if found := parse(what, r"risk level: (\w+|-)→(\w*)"):
        return _("Set the risk level of %(name)s: %(from)s → %(to)s"), {
            "from": "—" if found[1] == "-" else choice_label(RiskLevel, found[1]),
            "to": choice_label(RiskLevel, found[2]),
        }
    if parse(what, r"assessment appointment \d+.*"):
        return _("Booked an assessment appointment for %(name)s") + "%(moved)s", {
            "moved": _moved(what)
        }
    if found := parse(what, r"assessment outcome: (\w+)(.*)"):
        return _("Recorded the assessment outcome of %(name)s") + "%(moved)s", {
            "moved": _moved(what)
        }
    if parse(what, r"note \d+ correcting note \d+"):
        return _("Corrected a case note of %(name)s"), {}
    if parse(what, r"note \d+"):
        return _("Added a case note to the case of %(name)s"), {}
    if parse(what, r"referral \d+.*"):
        return _("Added a referral to the case of %(name)s") + "%(moved)s", {"moved": _moved(what)}
    if found := parse(what, r"task \d+ \((\w+)\) done(.*)"):
        return _("Marked the task “%(task)s” done on the case of %(name)s") + "%(moved)s", {
            "task": choice_label(CaseTask.Kind, found[1]),
            "moved": _moved(what),
        }
    if found := parse(what, r"task \d+ \((\w+)\) raised"):
        return _("Raised the task “%(task)s” on the case of %(name)s"), {
            "task": choice_label(CaseTask.Kind, found[1])
        }
    if what.startswith("admin: "):
        return _("Changed the case of %(name)s in the admin site"), {}
    return None


def generic_case_wording(event: AuditEvent) -> Wording:
    """For an event on his case no app words more closely: what was done, to whose case."""
    if event.action == Action.VIEW:
        return _("Opened a page of the case of %(name)s"), {}
    if event.action == Action.CREATE:
        return _("Added to the case of %(name)s"), {}
    if event.action == Action.CHANGE:
        return _("Changed the case of %(name)s"), {}
    return _("%(action)s: the case of %(name)s"), {"action": choice_label(Action, event.action)}


def _describe_flags(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    """A risk flag acknowledged: the flag says only "speak to partner support", so does this."""
    on_flags = [e for e in events if e.object_type == "participants.riskflag"]
    ids = {int(e.object_id) for e in on_flags if e.object_id.isdigit()}
    flags = (
        {
            str(flag.pk): flag
            for flag in RiskFlag.objects.filter(
                organisation_id=viewer.organisation_id, pk__in=ids
            ).select_related("participant")
        }
        if ids
        else {}
    )
    described = {}
    for event in on_flags:
        flag = flags.get(event.object_id)
        case = flag.participant if flag is not None else None
        described[event.pk] = (
            _("Acknowledged a risk flag on the case of %(name)s") % {"name": case_name(case)},
            case_url(case),
        )
    return described


def _describe_destruction(events: Sequence[AuditEvent], *, viewer) -> dict[int, Description]:
    """A destruction act opened. A partner's act (opened behind the wall) is shown to the
    men's side without its reference or a link: nothing says whose it was."""
    on_records = [e for e in events if e.object_type == "participants.retentionrecord"]
    ids = {int(e.object_id) for e in on_records if e.object_id.isdigit()}
    subjects = [RetentionRecord.Subject.MAN]
    if user_can(viewer, Area.PARTNERS):
        subjects.append(RetentionRecord.Subject.PARTNER)
    records = (
        {
            str(record.pk): record
            for record in RetentionRecord.objects.filter(
                organisation_id=viewer.organisation_id, pk__in=ids, subject__in=subjects
            ).only("pk", "reference")
        }
        if ids
        else {}
    )
    described = {}
    for event in on_records:
        record = records.get(event.object_id)
        if record is None:
            described[event.pk] = (_("Opened a destruction act"), "")
            continue
        described[event.pk] = (
            _("Opened the destruction act of %(reference)s") % {"reference": record.reference},
            reverse("destruction_act", kwargs={"record_id": record.pk}),
        )
    return described


def _import_wording(event: AuditEvent) -> str:
    found = parse(event.what, r"import: (\d+) new cases, (\d+) new referrals")
    if found is None:
        return _("Imported referrals from a spreadsheet")
    text = _("Imported referrals (new cases: %(cases)s, new referrals: %(referrals)s)")
    return text % {
        "cases": found[1],
        "referrals": found[2],
    }


def _is_uuid(value: str) -> bool:
    return parse(value, r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") is not None


def audit_subject(*, organisation_id: int | None, text: str) -> str | None:
    """A case reference of the organisation stands for that man's public id, the id his events
    are recorded under (dvpp.hooks.audit_subject)."""
    if not text.isdigit():
        return None
    public_id = (
        Participant.objects.filter(organisation_id=organisation_id, reference=text.zfill(5))
        .values_list("public_id", flat=True)
        .first()
    )
    return None if public_id is None else str(public_id)
