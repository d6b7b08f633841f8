"""Publishing and importing a package are audited by the services that do them, whichever way
they came (a page, a command, the demo data), with who did it and from where."""

import pytest
from django.core.exceptions import ValidationError

from dvpp.audit import origin
from dvpp.models import AuditEvent
from library import services

from .conftest import publish

pytestmark = pytest.mark.django_db
CREATE = AuditEvent.Action.CREATE


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows(before: int) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(pk__gt=before)
        .order_by("pk")
        .values_list("action", "object_type", "object_id", "what", "via", "user", "organisation")
    )


def test_a_package_published_and_imported_without_a_page_is_audited(
    org_a, org_b, org_c, shared, workshops
):
    before = _last()
    with origin("command:publish_programme"):
        package = publish(org_a, workshops, shared)
    assert _rows(before) == [
        (
            CREATE,
            "library.package",
            str(package.pk),
            "published v1",
            "command:publish_programme",
            org_a.manager.pk,
            org_a.organisation.pk,
        )
    ]
    before = _last()
    with origin("command:import_programme"):
        copy = services.package_import(
            organisation=org_b.organisation, by=org_b.manager, package=package
        )
        from_file = services.package_file_import(
            organisation=org_c.organisation,
            by=org_c.manager,
            data=services.package_file_build(package),
        )
    assert _rows(before) == [
        (
            CREATE,
            "group_sessions.programme",
            str(copy.pk),
            "imported package v1",
            "command:import_programme",
            org_b.manager.pk,
            org_b.organisation.pk,
        ),
        (
            CREATE,
            "group_sessions.programme",
            str(from_file.pk),
            "imported package file",
            "command:import_programme",
            org_c.manager.pk,
            org_c.organisation.pk,
        ),
    ]


def test_a_refused_import_records_nothing(org_a, org_b, shared, workshops):
    package = publish(org_a, workshops, shared)
    services.package_import(organisation=org_b.organisation, by=org_b.manager, package=package)
    before = _last()
    with pytest.raises(ValidationError):
        services.package_import(organisation=org_b.organisation, by=org_b.manager, package=package)
    assert _rows(before) == []
