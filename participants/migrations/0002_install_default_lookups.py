"""Existing organisations get the shipped referral sources and case-note categories.

The lists are a frozen copy of participants.defaults as it stood on 2026-12-04 (a migration never
imports code that may change); the lists whose tables come later are installed by 0009.
"""

from django.db import migrations

REFERRAL_SOURCES = {
    "GB": [
        ("court", "Court order", "Решение суда"),
        ("probation", "Probation", "Служба пробации"),
        ("police", "Police", "Полиция"),
        ("police-caution", "Police cautioning scheme", "Полицейская программа предупреждения"),
        ("childrens-services", "Children's services", "Службы защиты детей"),
        ("health", "Health services", "Медицинские службы"),
        ("self", "Self-referral", "Самообращение"),
        ("other", "Other", "Другое"),
    ],
    "RU": [
        (
            "penitentiary-inspectorate",
            "Criminal-executive inspectorate (penitentiary service)",
            "Уголовно-исполнительная инспекция ФСИН",
        ),
        ("court", "Court", "Суд"),
        ("police", "Police", "Полиция"),
        (
            "police-administrative",
            "Police: administrative case of battery",
            "Полиция: административное дело о побоях",
        ),
        (
            "minors-commission",
            "Commission for minors' affairs",
            "Комиссия по делам несовершеннолетних",
        ),
        ("social-protection", "Social protection", "Органы социальной защиты"),
        ("guardianship", "Guardianship authority", "Органы опеки и попечительства"),
        ("medical", "Medical organisation", "Медицинская организация"),
        ("ngo", "Crisis centre or NGO", "Кризисный центр или НКО"),
        ("victim", "The victim herself", "Сама пострадавшая"),
        ("self", "Self-referral", "Самообращение"),
        ("other", "Other", "Другое"),
    ],
}

CASE_NOTE_CATEGORIES = [
    ("contact", "Contact", "Контакт"),
    ("safeguarding", "Safeguarding", "Безопасность и защита"),
    ("compliance", "Compliance", "Соблюдение условий"),
    ("other", "Other", "Другое"),
]


def install_lookups(organisation, lookups):
    """Add the shipped entries an organisation does not have yet (by code); change nothing else.
    ``lookups``: (model, entries by country or one list for every country)."""
    country = organisation.country if organisation.country in REFERRAL_SOURCES else "GB"
    for model, entries in lookups:
        if isinstance(entries, dict):
            entries = entries[country]
        existing = set(
            model.objects.filter(organisation_id=organisation.pk).values_list("code", flat=True)
        )
        model.objects.bulk_create(
            model(
                organisation_id=organisation.pk,
                code=code,
                label_en=label_en,
                label_ru=label_ru,
                position=position,
            )
            for position, (code, label_en, label_ru) in enumerate(entries)
            if code not in existing
        )


def install_defaults(apps, schema_editor):
    lookups = [
        (apps.get_model("participants", "ReferralSource"), REFERRAL_SOURCES),
        (apps.get_model("participants", "CaseNoteCategory"), CASE_NOTE_CATEGORIES),
    ]
    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        install_lookups(organisation, lookups)


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
