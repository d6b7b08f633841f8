"""Encryption at rest, seen as a thief with a database dump would see it."""

import shutil
import subprocess

import pytest
from django.db import connection

from partners import services
from tests.conftest import skip_or_fail
from tests.partners.conftest import SECRETS
from tests.partners.test_partner_record import checkin_data

CHECK_IN_WORDS = "Calmer at home."


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_of_the_partner_tables_shows_no_contact_details_or_check_in_text(org_a, reached):
    """pg_dump sees only committed rows, so this test commits them (transaction=True)."""
    if connection.vendor != "postgresql":
        skip_or_fail("pg_dump needs PostgreSQL (set DATABASE_URL)")
    if shutil.which("pg_dump") is None:
        skip_or_fail("pg_dump is not installed (apt-get install postgresql-client)")
    services.checkin_record(partner=reached, by=org_a.partner_support, data=checkin_data())
    db = connection.settings_dict
    command = ["pg_dump", "--data-only", "--table=partners_*", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    dump = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
    ).stdout
    # The dump really holds her rows: her public id is there, in clear.
    assert "partners_partner" in dump and "partners_checkin" in dump
    assert str(reached.public_id) in dump
    for field in ("phone", "email", "address", "safe_contact_notes"):
        assert SECRETS[field] not in dump, field
    assert CHECK_IN_WORDS not in dump
    assert "gAAAA" in dump  # Fernet tokens where the values are
