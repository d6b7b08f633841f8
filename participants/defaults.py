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
        ("self", "Self-referral", "Самообращение"),
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
        from .models import CaseNoteCategory, ReferralSource
    else:
        ReferralSource = apps.get_model("participants", "ReferralSource")
        CaseNoteCategory = apps.get_model("participants", "CaseNoteCategory")
    sources = REFERRAL_SOURCES.get(organisation.country, REFERRAL_SOURCES["GB"])
    for model, entries in ((ReferralSource, sources), (CaseNoteCategory, CASE_NOTE_CATEGORIES)):
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
