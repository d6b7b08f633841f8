from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    from dvpp.names import search_forms
    from dvpp.search import normalise

    Partner = apps.get_model("partners", "Partner")
    for partner in Partner.objects.all().iterator():
        text = normalise(search_forms(partner.last_name, partner.first_name, partner.patronymic))
        if text != partner.search_text:
            Partner.objects.filter(pk=partner.pk).update(search_text=text)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS partner_search_trgm "
        "ON partners_partner USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS partner_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_names_in_one_alphabet")]

    operations = [
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
