"""Existing organisations get the first version of the practitioners' change assessment, and
any shipped incident category they lack.

The assessment is a frozen copy of evidence.defaults as it stood on 2026-12-04 (a migration never
imports code that may change); the categories are the frozen ones of evidence/0002.
"""

from importlib import import_module

from django.db import migrations

# The practitioners' change assessment, version 1: the behaviours rated against baseline.
CHANGE_BEHAVIOURS = [
    ["physical_violence", "Physical violence", "Физическое насилие"],
    ["threats", "Threats and intimidation", "Угрозы и запугивание"],
    [
        "emotional_abuse",
        "Emotional and psychological abuse",
        "Эмоциональное и психологическое насилие",
    ],
    ["controlling_behaviour", "Controlling behaviour", "Контролирующее поведение"],
    ["sexual_abuse", "Sexual abuse", "Сексуальное насилие"],
    ["use_of_children", "Using the children", "Использование детей"],
]
CHANGE_GUIDANCE_EN = (
    "Complete at exit, together with the co-facilitator. Rate each behaviour against what was "
    "known at his assessment. Capacity: he can name his abusive behaviour, its effects and what "
    "he does instead. Motivation: he wants to change for reasons beyond the order or the case."
)
CHANGE_GUIDANCE_RU = (
    "Заполняется при завершении программы вместе с ко-ведущим. Каждое поведение оценивается в "
    "сравнении с тем, что было известно при оценке. Способность: он может назвать своё "
    "насильственное поведение, его последствия и то, что делает вместо него. Мотивация: он хочет "
    "измениться не только из-за приговора или дела."
)


def install(apps, schema_editor):
    install_categories = import_module(
        "evidence.migrations.0002_install_incident_categories"
    ).install_categories
    Organisation = apps.get_model("dvpp", "Organisation")
    ChangeInstrument = apps.get_model("evidence", "ChangeInstrument")
    for organisation in Organisation.objects.all():
        ChangeInstrument.objects.get_or_create(
            organisation_id=organisation.pk,
            version=1,
            defaults={
                "name_en": "Practitioners' change assessment",
                "name_ru": "Оценка изменений специалистами",
                "guidance_en": CHANGE_GUIDANCE_EN,
                "guidance_ru": CHANGE_GUIDANCE_RU,
                "behaviours": CHANGE_BEHAVIOURS,
            },
        )
        install_categories(apps, organisation)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_change_assessment_and_comparison")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
