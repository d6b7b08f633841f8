from django.db import migrations


def install(apps, schema_editor):
    from evidence.defaults import install

    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        install(organisation, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_change_assessment_and_comparison")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
