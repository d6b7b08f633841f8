"""The incident categories a new organisation starts with, and their harm weights.

UK: weights in days of custody after the Cambridge Crime Harm Index (the starting point of the
sentencing guideline for a first offence). Check them against the current published index
before a report leaves the service: they are starting values an organisation can change.
Russia: a local table, chosen the same way from the starting points of the Criminal Code's and
the Code of Administrative Offences' sanctions, documented in docs/evidence.md as a local choice.
"""

from decimal import Decimal

from dvpp.models import Organisation

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


def install(organisation: Organisation, *, apps=None) -> None:
    """Add the shipped categories the organisation does not have yet (by code), and the first
    version of the change assessment."""
    if apps is None:
        from .models import ChangeInstrument, IncidentCategory
    else:
        IncidentCategory = apps.get_model("evidence", "IncidentCategory")
        ChangeInstrument = apps.get_model("evidence", "ChangeInstrument")
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
