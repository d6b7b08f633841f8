"""A package's coalition is now coalition.Coalition (the model moved out of the core, its table
unchanged): the migration state follows, the database has nothing to do."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("coalition", "0001_initial"),
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="package",
                    name="coalition",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="packages", to="coalition.coalition", verbose_name="coalition"),
                ),
            ],
            database_operations=[],
        ),
    ]
