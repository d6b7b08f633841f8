"""Existing organisations get the shipped incident categories and their harm weights.

The categories are a frozen copy of evidence.defaults as it stood on 2026-12-04 (a migration never
imports code that may change); evidence/0004 installs the change assessment, whose table comes
with 0003.
"""

from decimal import Decimal

from django.db import migrations

# (code, English, Russian, harm weight in days)
CATEGORIES: dict[str, list[tuple[str, str, str, str]]] = {
    "GB": [
        ("common-assault", "Common assault", "Нападение без телесных повреждений", "2"),
        (
            "abh",
            "Assault occasioning actual bodily harm",
            "Нападение с телесными повреждениями",
            "184",
        ),
        ("gbh", "Grievous bodily harm", "Причинение тяжкого вреда здоровью", "1460"),
        ("threats-to-kill", "Threats to kill", "Угроза убийством", "365"),
        ("coercive-control", "Controlling or coercive behaviour", "Принудительный контроль", "365"),
        ("stalking", "Stalking or harassment", "Преследование", "20"),
        ("criminal-damage", "Criminal damage", "Повреждение имущества", "2"),
        ("breach-order", "Breach of a protective order", "Нарушение охранного ордера", "20"),
        ("other", "Other domestic-abuse incident", "Другой инцидент домашнего насилия", "0"),
    ],
    "RU": [
        ("battery-admin", "Battery (administrative, Art. 6.1.1)", "Побои (ст. 6.1.1 КоАП РФ)", "1"),
        (
            "battery-116-1",
            "Battery by a person already punished (Art. 116.1)",
            "Побои лицом, подвергнутым наказанию (ст. 116.1 УК РФ)",
            "30",
        ),
        (
            "light-harm",
            "Light harm to health (Art. 115)",
            "Причинение лёгкого вреда здоровью (ст. 115 УК РФ)",
            "60",
        ),
        (
            "medium-harm",
            "Medium harm to health (Art. 112)",
            "Причинение вреда здоровью средней тяжести (ст. 112 УК РФ)",
            "365",
        ),
        (
            "grave-harm",
            "Grave harm to health (Art. 111)",
            "Причинение тяжкого вреда здоровью (ст. 111 УК РФ)",
            "1460",
        ),
        (
            "threat",
            "Threat of murder or grave harm (Art. 119)",
            "Угроза убийством (ст. 119 УК РФ)",
            "180",
        ),
        ("torment", "Torment (Art. 117)", "Истязание (ст. 117 УК РФ)", "730"),
        ("other", "Other domestic-abuse incident", "Другой инцидент домашнего насилия", "0"),
    ],
}


def install_categories(apps, organisation):
    """Add the shipped categories the organisation does not have yet (by code)."""
    IncidentCategory = apps.get_model("evidence", "IncidentCategory")
    country = organisation.country if organisation.country in CATEGORIES else "GB"
    existing = set(
        IncidentCategory.objects.filter(organisation_id=organisation.pk).values_list(
            "code", flat=True
        )
    )
    IncidentCategory.objects.bulk_create(
        IncidentCategory(
            organisation_id=organisation.pk,
            code=code,
            label_en=label_en,
            label_ru=label_ru,
            harm_weight=Decimal(weight),
            position=position,
        )
        for position, (code, label_en, label_ru, weight) in enumerate(CATEGORIES[country])
        if code not in existing
    )


def install(apps, schema_editor):
    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        install_categories(apps, organisation)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
