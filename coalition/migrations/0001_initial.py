"""Coalition and Membership move from the core (dvpp) to this app: in the migration state only,
as the tables stay what they were (dvpp_coalition, dvpp_membership). Their content types move
with them, so that permissions granted on them and the admin's history still point at them."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MODELS = ("coalition", "membership")


def move_content_types(apps, schema_editor, old="dvpp", new="coalition"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    database = schema_editor.connection.alias
    for model in MODELS:
        moved = ContentType.objects.using(database).filter(app_label=new, model=model)
        if not moved.exists():
            ContentType.objects.using(database).filter(app_label=old, model=model).update(
                app_label=new
            )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="coalition", new="dvpp")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dvpp", "0017_audit_event_params"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Coalition",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("slug", models.SlugField(unique=True, verbose_name="short name")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                    ],
                    options={
                        "verbose_name": "coalition",
                        "verbose_name_plural": "coalitions",
                        "db_table": "dvpp_coalition",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("joined_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="joined on")),
                        ("left_on", models.DateField(blank=True, null=True, verbose_name="left on")),
                        ("shown_by_name", models.BooleanField(default=False, help_text="Only with the organisation's consent; otherwise its figures are shown as “Organisation A”, “Organisation B”, …", verbose_name="shown by name in the coalition's figures")),
                        ("coalition", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="memberships", to="coalition.coalition", verbose_name="coalition")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="memberships", to="dvpp.organisation", verbose_name="organisation")),
                    ],
                    options={
                        "verbose_name": "membership",
                        "verbose_name_plural": "memberships",
                        "db_table": "dvpp_membership",
                        "ordering": ["coalition", "joined_on", "pk"],
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("left_on__isnull", True)), fields=("coalition", "organisation"), name="membership_one_current"),
                            models.CheckConstraint(condition=models.Q(("left_on__isnull", True), ("left_on__gte", models.F("joined_on")), _connector="OR"), name="membership_leaves_after_joining"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
