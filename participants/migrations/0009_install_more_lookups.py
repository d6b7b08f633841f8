from django.db import migrations


def install_defaults(apps, schema_editor):
    """Existing organisations get the new lists (and new shipped entries) too."""
    from participants.defaults import install

    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        install(organisation, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("participants", "0008_more_lookups")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
