"""Organisations made before consent records start with the shipped templates too.

The templates are a frozen copy of consent.defaults as it stood on 2026-12-04 (a migration never
imports code that may change); subjects and purposes are written as their stored values.
"""

from django.db import migrations

ACTIONS_EN = (
    "collection, recording, organisation, storage, updating, retrieval, use, disclosure "
    "to the recipients named above, anonymisation, restriction, erasure and destruction"
)
ACTIONS_RU = (
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
    "извлечение, использование, передача (предоставление, доступ) названным выше получателям, "
    "обезличивание, блокирование, удаление, уничтожение"
)

# (subject, purpose, title EN, title RU, data EN, data RU, special categories, months)
SHIPPED = [
    (
        "man",
        "programme",
        "Taking part in the domestic violence perpetrator programme",
        "Участие в программе для лиц, совершивших домашнее насилие",
        "surname, given name, patronymic and previous surnames; date of birth; phone, e-mail "
        "and preferred language; referral details; assessment, attendance and case notes",
        "фамилия, имя, отчество и прежние фамилии; дата рождения; телефон, электронная почта "
        "и язык общения; сведения о направлении; результаты оценки, посещаемость и записи по "
        "делу",
        False,
        36,
    ),
    (
        "man",
        "special",
        "Health information",
        "Сведения о состоянии здоровья",
        "health conditions, substance use and treatment relevant to the programme",
        "сведения о состоянии здоровья, употреблении психоактивных веществ и лечении, "
        "имеющие значение для программы",
        True,
        36,
    ),
    (
        "man",
        "sharing",
        "Reports to the referring organisation",
        "Передача сведений направившей организации",
        "attendance, progress and completion or ending of the programme",
        "посещаемость, ход и завершение или прекращение участия в программе",
        False,
        36,
    ),
    (
        "man",
        "messages",
        "Session reminders by SMS or e-mail",
        "Напоминания о занятиях по SMS или электронной почте",
        "phone number or e-mail address; dates and times of sessions",
        "номер телефона или адрес электронной почты; даты и время занятий",
        False,
        0,
    ),
    (
        "man",
        "surveys",
        "Outcome surveys",
        "Анкеты для оценки результатов",
        "answers to the programme's questionnaires, used only in anonymous statistics",
        "ответы на анкеты программы, используемые только в обезличенной статистике",
        False,
        36,
    ),
    (
        "partner",
        "support",
        "Support for partners and ex-partners",
        "Поддержка партнёрок и бывших партнёрок",
        "surname, given name, patronymic; phone, e-mail, address and safe times to contact; "
        "risk assessments, safety plans and notes of conversations",
        "фамилия, имя, отчество; телефон, электронная почта, адрес и безопасное время для "
        "связи; оценка рисков, планы безопасности и записи бесед",
        False,
        36,
    ),
    (
        "partner",
        "special",
        "Health information",
        "Сведения о состоянии здоровья",
        "injuries, health and wellbeing as they bear on her safety",
        "сведения о травмах, здоровье и самочувствии, имеющие значение для безопасности",
        True,
        36,
    ),
    (
        "partner",
        "surveys",
        "Outcome surveys",
        "Анкеты для оценки результатов",
        "answers to the partner questionnaires, used only in anonymous statistics",
        "ответы на анкеты для партнёрок, используемые только в обезличенной статистике",
        False,
        36,
    ),
]


def install(apps, schema_editor):
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
