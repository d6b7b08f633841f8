from django.db import migrations


def install(apps, schema_editor):
    """Organisations made before consent records start with the shipped templates too."""
    from consent.defaults import ACTIONS_EN, ACTIONS_RU, SHIPPED

    Organisation = apps.get_model("dvpp", "Organisation")
    ConsentTemplate = apps.get_model("consent", "ConsentTemplate")
    for organisation in Organisation.objects.all():
        for subject, purpose, title_en, title_ru, data_en, data_ru, special, months in SHIPPED:
            ConsentTemplate.objects.get_or_create(
                organisation=organisation,
                subject=subject,
                purpose=purpose,
                version=1,
                defaults={
                    "title_en": title_en,
                    "title_ru": title_ru,
                    "data_en": data_en,
                    "data_ru": data_ru,
                    "actions_en": ACTIONS_EN,
                    "actions_ru": ACTIONS_RU,
                    "special_categories": special,
                    "valid_months": months,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
