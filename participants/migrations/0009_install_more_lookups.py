"""Existing organisations get the new lists (and new shipped entries) too.

The new lists are a frozen copy of participants.defaults as it stood on 2026-12-04 (a migration
never imports code that may change); the referral sources and case-note categories are the
frozen ones of 0002.
"""

from importlib import import_module

from django.db import migrations

REFERRER_ORGANISATIONS = {
    "GB": [
        ("probation", "Probation Service", "Служба пробации"),
        ("childrens-services", "Children's Social Care", "Социальная служба по делам детей"),
        ("family-court", "Family Court", "Суд по семейным делам"),
    ],
    "RU": [
        (
            "uii-leninsky",
            "Criminal-executive inspectorate, Leninsky district branch",
            "Филиал УИИ по Ленинскому району",
        ),
        ("district-court", "District court", "Районный суд"),
        ("magistrate", "Magistrate's court", "Мировой суд"),
        ("kdn", "District commission for minors' affairs", "Районная КДН и ЗП"),
    ],
}

EXIT_REASONS = [
    ("moved", "Moved away", "Переезд"),
    ("new-offence", "New offence or incident", "Новое правонарушение или инцидент"),
    ("custody", "Taken into custody", "Заключение под стражу"),
    ("health", "Health reasons", "По состоянию здоровья"),
    ("work", "Work or study hours", "График работы или учёбы"),
    ("disengaged", "Stopped attending without a reason", "Перестал посещать без причины"),
    ("other", "Other", "Другое"),
]

OFFENCE_CATEGORIES = {
    "GB": [
        ("assault", "Assault", "Нападение"),
        ("coercive-control", "Controlling or coercive behaviour", "Принудительный контроль"),
        ("threats", "Threats", "Угрозы"),
        ("stalking", "Stalking or harassment", "Преследование"),
        ("criminal-damage", "Criminal damage", "Повреждение имущества"),
        ("breach", "Breach of a protective order", "Нарушение охранного ордера"),
        ("other", "Other", "Другое"),
    ],
    "RU": [
        ("battery-admin", "Battery (administrative, Art. 6.1.1)", "Побои (ст. 6.1.1 КоАП РФ)"),
        (
            "battery-criminal",
            "Battery by a person already punished (Art. 116.1)",
            "Побои лицом, подвергнутым наказанию (ст. 116.1 УК РФ)",
        ),
        ("harm", "Bodily harm (Art. 111–115)", "Причинение вреда здоровью (ст. 111–115 УК РФ)"),
        ("threat", "Threat of murder or grave harm (Art. 119)", "Угроза убийством (ст. 119 УК РФ)"),
        ("torment", "Torment (Art. 117)", "Истязание (ст. 117 УК РФ)"),
        ("property", "Damage to property (Art. 167)", "Повреждение имущества (ст. 167 УК РФ)"),
        ("other", "Other", "Другое"),
    ],
}


def install_defaults(apps, schema_editor):
    first = import_module("participants.migrations.0002_install_default_lookups")
    lookups = [
        (apps.get_model("participants", "ReferralSource"), first.REFERRAL_SOURCES),
        (apps.get_model("participants", "CaseNoteCategory"), first.CASE_NOTE_CATEGORIES),
        (apps.get_model("participants", "ReferrerOrganisation"), REFERRER_ORGANISATIONS),
        (apps.get_model("participants", "ExitReason"), EXIT_REASONS),
        (apps.get_model("participants", "OffenceCategory"), OFFENCE_CATEGORIES),
    ]
    Organisation = apps.get_model("dvpp", "Organisation")
    for organisation in Organisation.objects.all():
        first.install_lookups(organisation, lookups)


class Migration(migrations.Migration):
    dependencies = [("participants", "0008_more_lookups")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
