"""ClosureDate moves from the sessions app to the core, with the working calendar
(dvpp.calendar): consent and partners count working days too, and may not import sessions. In
the migration state only: the table stays group_sessions_closuredate. Its content type moves
with it, so that permissions granted on it and the admin's history still point at it."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="group_sessions", new="dvpp"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    database = schema_editor.connection.alias
    if not ContentType.objects.using(database).filter(app_label=new, model="closuredate").exists():
        ContentType.objects.using(database).filter(app_label=old, model="closuredate").update(
            app_label=new
        )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="dvpp", new="group_sessions")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dvpp", "0018_coalition_moves_to_its_app"),
        ("group_sessions", "0005_session_plans_and_handouts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClosureDate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(verbose_name="date")),
                        ("kind", models.CharField(choices=[("closed", "Closed"), ("open", "Open (a working day)")], default="closed", max_length=6, verbose_name="the organisation is")),
                        ("name_en", models.CharField(max_length=200, verbose_name="name (English)")),
                        ("name_ru", models.CharField(blank=True, max_length=200, verbose_name="name (Russian)")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="dvpp.organisation")),
                    ],
                    options={
                        "verbose_name": "closure date",
                        "verbose_name_plural": "closure dates",
                        "db_table": "group_sessions_closuredate",
                        "ordering": ["date"],
                        "constraints": [models.UniqueConstraint(fields=("organisation", "date"), name="closure_unique_date")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
