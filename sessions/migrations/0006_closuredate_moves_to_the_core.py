"""ClosureDate now lives in the core (dvpp/0019): this app's migration state lets it go; the
table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dvpp", "0019_closuredate_moves_to_the_core"),
        ("group_sessions", "0005_session_plans_and_handouts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClosureDate")],
            database_operations=[],
        ),
    ]
