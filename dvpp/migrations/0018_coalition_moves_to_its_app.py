"""Coalition and Membership now live in the coalition app (coalition/0001): the core's migration
state lets them go, and a coalition analyst's coalition is coalition.Coalition. The tables and
their foreign keys stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("coalition", "0001_initial"),
        ("dvpp", "0017_audit_event_params"),
        ("library", "0002_package_coalition_in_its_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="coalition",
                    field=models.ForeignKey(blank=True, help_text="Coalition analysts only: they belong to a coalition, not an organisation.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="analysts", to="coalition.coalition", verbose_name="coalition"),
                ),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Coalition"),
            ],
            database_operations=[],
        ),
    ]
