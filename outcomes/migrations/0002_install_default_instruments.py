from django.db import migrations


def install_defaults(apps, schema_editor):
    from outcomes.defaults import install

    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        install(organisation, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
