"""The lookups a new organisation starts with, for its country; a manager can change them later.

Codes are stable: imports and integrations use them. Labels are English and Russian.
"""

from dvpp.models import Organisation

REFERRAL_SOURCES: dict[str, list[tuple[str, str, str]]] = {
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

REFERRER_ORGANISATIONS: dict[str, list[tuple[str, str, str]]] = {
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

EXIT_REASONS: list[tuple[str, str, str]] = [
    ("moved", "Moved away", "Переезд"),
    ("new-offence", "New offence or incident", "Новое правонарушение или инцидент"),
    ("custody", "Taken into custody", "Заключение под стражу"),
    ("health", "Health reasons", "По состоянию здоровья"),
    ("work", "Work or study hours", "График работы или учёбы"),
    ("disengaged", "Stopped attending without a reason", "Перестал посещать без причины"),
    ("other", "Other", "Другое"),
]

OFFENCE_CATEGORIES: dict[str, list[tuple[str, str, str]]] = {
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

CASE_NOTE_CATEGORIES: list[tuple[str, str, str]] = [
    ("contact", "Contact", "Контакт"),
    ("safeguarding", "Safeguarding", "Безопасность и защита"),
    ("compliance", "Compliance", "Соблюдение условий"),
    ("other", "Other", "Другое"),
]


def install(organisation: Organisation, *, apps=None) -> None:
    """Add the shipped entries an organisation does not have yet (by code); change nothing else.

    ``apps`` lets a data migration pass its historical models.
    """
    if apps is None:
        from .models import (
            CaseNoteCategory,
            ExitReason,
            OffenceCategory,
            ReferralSource,
            ReferrerOrganisation,
        )
    else:

        def model_or_none(name):
            # A data migration older than a lookup runs before its table exists: skip it.
            try:
                return apps.get_model("participants", name)
            except LookupError:
                return None

        ReferralSource = model_or_none("ReferralSource")
        CaseNoteCategory = model_or_none("CaseNoteCategory")
        ReferrerOrganisation = model_or_none("ReferrerOrganisation")
        ExitReason = model_or_none("ExitReason")
        OffenceCategory = model_or_none("OffenceCategory")
    country = organisation.country if organisation.country in REFERRAL_SOURCES else "GB"
    for model, entries in (
        (ReferralSource, REFERRAL_SOURCES[country]),
        (CaseNoteCategory, CASE_NOTE_CATEGORIES),
        (ReferrerOrganisation, REFERRER_ORGANISATIONS[country]),
        (ExitReason, EXIT_REASONS),
        (OffenceCategory, OFFENCE_CATEGORIES[country]),
    ):
        if model is None:
            continue
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


def lookup_lists() -> dict:
    """The men's side's lists a manager keeps (dvpp.hooks.lookup_lists), by URL slug."""
    from .models import (
        CaseNoteCategory,
        ExitReason,
        OffenceCategory,
        ReferralSource,
        ReferrerOrganisation,
    )

    return {
        "referral-sources": ReferralSource,
        "referring-organisations": ReferrerOrganisation,
        "offence-categories": OffenceCategory,
        "exit-reasons": ExitReason,
        "note-categories": CaseNoteCategory,
    }
