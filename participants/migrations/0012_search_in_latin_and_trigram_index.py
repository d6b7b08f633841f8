from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    """Cases are found by the Latin spelling of their names too (search_forms)."""
    from dvpp.names import search_forms
    from dvpp.search import normalise

    Participant = apps.get_model("participants", "Participant")
    for man in Participant.objects.all().iterator():
        text = normalise(
            search_forms(
                man.reference, man.last_name, man.first_name, man.patronymic, man.previous_surnames
            )
        )
        if text != man.search_text:
            Participant.objects.filter(pk=man.pk).update(search_text=text)


def trigram_index(apps, schema_editor):
    """On PostgreSQL, "contains" on the search column uses a trigram index."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS participant_search_trgm "
        "ON participants_participant USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS participant_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("participants", "0011_names_in_one_alphabet")]

    operations = [
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
