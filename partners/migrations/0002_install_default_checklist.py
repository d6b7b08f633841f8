from django.db import migrations


def install_defaults(apps, schema_editor):
    from partners.defaults import install

    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        install(organisation, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("dvpp", "0003_organisation_partner_contact_working_days_auditevent")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
