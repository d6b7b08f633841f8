"""A change is audited by the service that makes it, with where it came from: a page (its
address and request id), the admin site, a command or a scheduled task."""

import pytest
from celery import shared_task
from django.core.management import call_command
from django.urls import reverse

from dvpp.audit import audit_change, current_origin, origin
from dvpp.commands import AuditedCommand
from dvpp.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db


def _change(organisation, by=None):
    return audit_change(AuditEvent.Action.CHANGE, organisation, by=by, what="probe")


def test_outside_any_request_a_change_is_the_systems():
    organisation = Organisation.objects.create(name="Origin test", slug="origin-test")
    event = _change(organisation)
    assert (event.via, event.ip, event.user, event.organisation_id) == (
        "system",
        None,
        None,
        None,
    )
    assert event.origin_label == "by the system"


def test_a_command_and_the_inner_origin_win():
    organisation = Organisation.objects.create(name="Origin test", slug="origin-test")
    with origin("command:import_referrals"):
        assert _change(organisation).via == "command:import_referrals"
        with origin("task:participants.apply_retention"):
            assert _change(organisation).via == "task:participants.apply_retention"
        assert current_origin().via == "command:import_referrals"
    assert current_origin().via == "system"


@shared_task(name="tests.audit_origin_probe")
def probe(organisation_pk):
    return _change(Organisation.objects.get(pk=organisation_pk)).pk


def test_a_scheduled_task_is_named_in_its_audit_rows():
    organisation = Organisation.objects.create(name="Origin test", slug="origin-test")
    event = AuditEvent.objects.get(pk=probe.apply(args=[organisation.pk]).get())
    assert event.via == "task:tests.audit_origin_probe"
    assert event.origin_label == "by the scheduled task tests.audit_origin_probe"


class Command(AuditedCommand):
    def handle(self, *args, **options):
        organisation = Organisation.objects.get(slug="origin-test")
        self.stdout.write(str(_change(organisation).pk))


def test_an_audited_command_is_named_in_its_audit_rows():
    organisation = Organisation.objects.create(name="Origin test", slug="origin-test")
    command = Command()
    call_command(command)
    event = AuditEvent.objects.latest("pk")
    assert event.via == "command:test_audit_origin"
    assert event.object_id == str(organisation.pk)


def test_a_page_records_its_address_and_request_id(client_for, org_a):
    """The middleware makes a page the origin: what a service writes while answering carries
    the page's address and request id (here the audit log's own export event)."""
    manager = client_for(org_a.manager, reauthenticated=True)
    response = manager.get(reverse("audit_log_export"), REMOTE_ADDR="203.0.113.7")
    b"".join(response.streaming_content)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("pk")
    assert (event.via, event.ip) == ("web", "203.0.113.7")
    assert event.request_id == response["X-Request-ID"]
    assert event.origin_label == ""
