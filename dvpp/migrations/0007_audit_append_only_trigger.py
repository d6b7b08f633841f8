"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log, so that no code
path (raw SQL, a future bug, a console session) can rewrite history. SQLite, the development
default, relies on the model's own refusal."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION dvpp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS dvpp_auditevent_append_only ON dvpp_auditevent;
CREATE TRIGGER dvpp_auditevent_append_only BEFORE UPDATE OR DELETE ON dvpp_auditevent
    FOR EACH ROW EXECUTE FUNCTION dvpp_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS dvpp_auditevent_append_only ON dvpp_auditevent;
DROP FUNCTION IF EXISTS dvpp_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("dvpp", "0006_audit_sign_ins")]

    operations = [migrations.RunPython(forwards, backwards)]
