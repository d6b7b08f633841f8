"""Survey responses, survey imports and the nightly snapshot are audited by the code that makes
them, whichever way they came (a page, a command, the nightly task), each named in the row."""

import io
import uuid

import pytest
from django.core.management import call_command

from dvpp.audit import describe_events, origin
from dvpp.models import AuditEvent
from outcomes import importing, services, tasks
from outcomes.models import OutcomeSnapshot, Response
from tests.outcomes.conftest import TODAY, partner_answers
from tests.outcomes.test_outcomes import SURVEY_CSV, woman  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _after(before: int):
    return AuditEvent.objects.filter(pk__gt=before).order_by("pk")


def test_a_response_recorded_without_a_page_is_audited_on_her_record(org_a, survey, woman):  # noqa: F811
    before = _last()
    key = uuid.uuid4()
    params = {
        "instrument": survey,
        "wave": "baseline",
        "participant": woman.participant,
        "partner": woman,
        "answered_on": TODAY,
        "answers": partner_answers(injured=False, feels="fairly"),
        "by": org_a.partner_support,
        "submission_key": key,
    }
    with origin("command:enter_surveys"):
        response = services.response_record(**params)
        # The same form sent twice: the first response, and nothing more recorded.
        assert services.response_record(**params).pk == response.pk
    (event,) = _after(before)
    assert (event.action, event.object_type, event.object_id, event.what) == (
        Action.CREATE,
        "partners.partner",
        str(woman.public_id),
        f"survey response {response.pk} (partner-safety, baseline)",
    )
    assert (event.via, event.user, event.organisation) == (
        "command:enter_surveys",
        org_a.partner_support,
        org_a.organisation,
    )


def _import(org_a, woman, *, dry_run: bool):  # noqa: F811
    text = SURVEY_CSV.format(
        ref=woman.participant.reference, surname=woman.last_name, given=woman.first_name
    ).replace("да", "yes")
    data = text.encode()
    return importing.import_surveys(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        subject="partner",
        name="surveys.csv",
        content=io.BytesIO(data),
        size=len(data),
        dry_run=dry_run,
    )


def test_an_import_run_without_a_page_is_one_event_for_the_file(org_a, woman):  # noqa: F811
    before = _last()
    with origin("command:import_surveys"):
        assert not _import(org_a, woman, dry_run=True).imported
        assert not _after(before).exists()  # a check only records nothing
        assert _import(org_a, woman, dry_run=False).imported
    assert Response.objects.count() == 1
    (event,) = _after(before)
    assert (event.action, event.object_type, event.object_id, event.what) == (
        Action.CREATE,
        "outcomes.response",
        "import",
        "import: 1 survey responses (partner)",
    )
    assert (event.via, event.user, event.organisation) == (
        "command:import_surveys",
        org_a.partner_support,
        org_a.organisation,
    )


def test_the_nightly_task_audits_the_snapshot_it_builds_once(org_a):
    before = _last()
    tasks.nightly_report()
    snapshot = OutcomeSnapshot.objects.get(organisation=org_a.organisation)
    event = _after(before).get(object_type="outcomes.outcomesnapshot", object_id=str(snapshot.pk))
    assert (event.action, event.what, event.via, event.user, event.organisation) == (
        Action.CREATE,
        f"outcome snapshot {snapshot.taken_on:%Y-%m-%d}",
        "task:outcomes.nightly_report",
        None,
        org_a.organisation,
    )
    text, _link = describe_events([event], viewer=org_a.manager)[event.pk]
    assert text.startswith("Kept the night's outcome figures of ")
    # Twice the same night: the snapshot is there already, nothing more recorded.
    count = _after(before).filter(object_type="outcomes.outcomesnapshot").count()
    tasks.nightly_report()
    assert _after(before).filter(object_type="outcomes.outcomesnapshot").count() == count


def test_the_snapshot_command_is_named_in_its_audit_rows(org_a):
    before = _last()
    call_command("build_outcome_snapshots", stdout=io.StringIO())
    event = _after(before).get(
        object_type="outcomes.outcomesnapshot", organisation=org_a.organisation
    )
    assert (event.via, event.user) == ("command:build_outcome_snapshots", None)
