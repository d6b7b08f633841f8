"""The coalition command's changes are audited as made by the command (``command:coalition``):
a coalition created, an organisation joining, being shown by name, leaving."""

import pytest
from django.core.management import CommandError, call_command

from coalition.models import Coalition, Membership
from dvpp.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_coalition_command_is_named_in_every_row_it_writes(org_a):
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("coalition", "create", "South", "--slug", "south")
    with pytest.raises(CommandError, match="exists already"):
        call_command("coalition", "create", "South again", "--slug", "south")
    call_command("coalition", "join", "--coalition", "south", "--organisation", "org-a")
    call_command("coalition", "leave", "--coalition", "south", "--organisation", "org-a")
    coalition = Coalition.objects.get(slug="south")
    membership = Membership.objects.get(coalition=coalition)
    rows = list(
        AuditEvent.objects.filter(pk__gt=before)
        .order_by("pk")
        .values_list("action", "object_type", "object_id", "what", "via", "user", "organisation")
    )
    assert rows == [
        ("create", "dvpp.coalition", str(coalition.pk), "created", "command:coalition", None, None),
        (
            "create",
            "dvpp.membership",
            str(membership.pk),
            f"coalition {coalition.pk}: joined",
            "command:coalition",
            None,
            org_a.organisation.pk,
        ),
        (
            "change",
            "dvpp.membership",
            str(membership.pk),
            f"coalition {coalition.pk}: left",
            "command:coalition",
            None,
            org_a.organisation.pk,
        ),
    ]
