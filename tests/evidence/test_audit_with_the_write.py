"""Incidents, change assessments and comparison groups are audited by the services that make
them, once; an incident import is one row for the whole file, by whoever ran it (the member of
staff on the page, or the command), kept only when the file is imported. An incident she
reported is audited on her record alone: his case's log never learns of it."""

import io

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dvpp.commands import AuditedCommand
from dvpp.models import AuditEvent, Organisation
from evidence.importing import import_incidents
from evidence.models import Incident, IncidentCategory
from evidence.services import incident_record
from participants.models import Participant
from partners import services as partner_services
from tests.dvpp.test_audit_trail import WRITES, World

from .test_import import FIRST, SECOND, good_csv, referred_man, run

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
COMMAND = __name__.rsplit(".", 1)[-1]


@pytest.fixture
def man(org_a):
    return referred_man(org_a.organisation, "00042")


def _imports():
    return AuditEvent.objects.filter(object_type="evidence.incident", object_id="import")


def _on(record):
    return AuditEvent.objects.filter(
        object_type=record._meta.label_lower,
        object_id=str(getattr(record, "public_id", None) or record.pk),
    ).order_by("pk")


# --- from the pages: one row a change, the page's -------------------------------------------


EVIDENCE_WRITES = sorted(name for name in WRITES if name.startswith("evidence:"))


@pytest.mark.parametrize("url_name", [*EVIDENCE_WRITES, "partners:add_reported_incident"])
def test_a_record_made_from_a_page_is_audited_once(client_for, org_a, url_name):
    write = WRITES[url_name](World(org_a))
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for(write.user).post(write.url, write.data, REMOTE_ADDR="198.51.100.4")
    assert response.status_code in {200, 302}
    object_type, object_id = write.record()
    events = AuditEvent.objects.filter(pk__gt=before, action=write.action)
    assert list(events.values_list("object_type", "object_id")) == [(object_type, object_id)]
    event = events.get()
    assert (event.via, event.ip, event.user) == ("web", "198.51.100.4", write.user)
    assert event.request_id == response["X-Request-ID"]


# --- the import ------------------------------------------------------------------------------


class Command(AuditedCommand):
    """A command importing a police spreadsheet, as manage.py would (nobody signed in)."""

    def add_arguments(self, parser):
        parser.add_argument("text")

    def handle(self, *args, **options):
        data = options["text"].encode()
        import_incidents(
            organisation=Organisation.objects.get(slug="org-a"),
            by=None,
            name="police.csv",
            content=io.BytesIO(data),
            size=len(data),
            dry_run=False,
        )


def test_an_import_run_by_a_command_is_one_row_named_after_the_command(org_a, man):
    assert org_a.organisation.slug == "org-a"
    call_command(Command(), good_csv(man))
    assert Incident.objects.count() == 2
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.what) == (
        Action.CREATE,
        "evidence.incident",
        "import",
        "import: 2 incidents",
    )
    assert (event.via, event.user, event.organisation) == (
        f"command:{COMMAND}",
        None,
        org_a.organisation,
    )


def test_an_import_from_the_page_service_is_by_the_member_of_staff(org_a, man):
    run(org_a, good_csv(man))
    event = _imports().get()
    assert (event.user, event.role, event.organisation) == (
        org_a.manager,
        "manager",
        org_a.organisation,
    )
    assert not _on(man).exists()  # one row for the file, none a row of it


def test_an_import_is_one_insert_into_the_log_whatever_its_rows(org_a, man):
    other = referred_man(org_a.organisation, "00043")
    rows = good_csv(man) + (
        f"{other.reference},{FIRST.isoformat()},probation,abh,,\n"
        f"{other.reference},{SECOND.isoformat()},police,abh,,\n"
    )
    with CaptureQueriesContext(connection) as queries:
        report = run(org_a, rows)
    assert report.incidents_new == 4
    inserts = [q for q in queries if q["sql"].startswith("INSERT") and "auditevent" in q["sql"]]
    assert len(inserts) == 1
    assert _imports().get().what == "import: 4 incidents"


def test_a_check_only_or_a_refused_file_leaves_no_row(org_a, man):
    run(org_a, good_csv(man), dry_run=True)
    report = run(org_a, good_csv(man) + "99999,2026-01-01,police,abh,,\n")
    assert report.errors and not report.imported
    assert not AuditEvent.objects.exists() and not Incident.objects.exists()


def test_a_file_imported_twice_is_audited_twice_with_nothing_new(org_a, man):
    """As the page did: a file imported is audited, even when all it held was already there."""
    run(org_a, good_csv(man))
    run(org_a, good_csv(man))
    assert list(_imports().order_by("pk").values_list("what", flat=True)) == [
        "import: 2 incidents",
        "import: 0 incidents",
    ]


# --- without a page: one incident ----------------------------------------------------------


@shared_task(name="tests.evidence.record_incident")
def record_incident(participant_pk: int, reported_by_pk: int | None = None) -> int:
    from partners.models import Partner

    man = Participant.objects.get(pk=participant_pk)
    return incident_record(
        participant=man,
        by=None,
        occurred_on=FIRST,
        known_via="partner_support" if reported_by_pk else "police",
        category=IncidentCategory.objects.get(organisation=man.organisation, code="abh"),
        reported_by=Partner.objects.get(pk=reported_by_pk) if reported_by_pk else None,
    ).pk


def test_an_incident_recorded_by_a_task_is_audited_on_his_case(org_a, man):
    pk = record_incident.apply(args=[man.pk]).get()
    event = _on(man).get()
    assert (event.action, event.what, event.user) == (Action.CREATE, f"incident {pk}", None)
    assert event.via == "task:tests.evidence.record_incident"


def test_an_incident_she_reported_is_audited_on_her_record_alone(org_a, man):
    partner = partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={"last_name": "Hidden", "first_name": "Her", "relationship": "ex_partner"},
    )
    pk = record_incident.apply(args=[man.pk, partner.pk]).get()
    assert list(_on(partner).values_list("action", "what")) == [
        (Action.CREATE, ""),
        (Action.CREATE, f"incident {pk}"),
    ]
    assert not _on(man).exists()
