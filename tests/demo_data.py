"""The demo data, seeded once for a test module: ``seeded_demo`` is module-scoped and rolled back
when the module ends, so every test of the module reads the same demo without seeding it again.

Use it as ``pytestmark = pytest.mark.usefixtures("seeded_demo")`` with the ``db`` fixture (each
test runs in its own savepoint inside the module's transaction)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dvpp.demo import ROLE_USERNAMES
from dvpp.models import Role, User


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("seed_demo", stdout=None)
        yield
        transaction.set_rollback(True)


def demo_user(spec, role: Role) -> User:
    """The demo organisation's member of staff in that role (``dvpp.demo.DEMO_ORGANISATIONS``)."""
    return User.objects.get(username=f"{spec.username_prefix}-{ROLE_USERNAMES[role]}")
