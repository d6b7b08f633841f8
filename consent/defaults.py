"""The consent templates a new organisation starts with, in English and Russian.

The wording is a starting point for the organisation's own lawyer, not legal advice; the Russian
texts follow the elements Article 9 of Federal Law 152-FZ asks for (purpose, data, actions,
period, withdrawal). Administrators change them in the admin site, which makes a new version.
"""

from dvpp.models import Organisation

from .models import ConsentTemplate, Purpose, Subject

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
        Subject.MAN,
        Purpose.PROGRAMME,
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
        Subject.MAN,
        Purpose.SPECIAL,
        "Health information",
        "Сведения о состоянии здоровья",
        "health conditions, substance use and treatment relevant to the programme",
        "сведения о состоянии здоровья, употреблении психоактивных веществ и лечении, "
        "имеющие значение для программы",
        True,
        36,
    ),
    (
        Subject.MAN,
        Purpose.SHARING,
        "Reports to the referring organisation",
        "Передача сведений направившей организации",
        "attendance, progress and completion or ending of the programme",
        "посещаемость, ход и завершение или прекращение участия в программе",
        False,
        36,
    ),
    (
        Subject.MAN,
        Purpose.MESSAGES,
        "Session reminders by SMS or e-mail",
        "Напоминания о занятиях по SMS или электронной почте",
        "phone number or e-mail address; dates and times of sessions",
        "номер телефона или адрес электронной почты; даты и время занятий",
        False,
        0,
    ),
    (
        Subject.MAN,
        Purpose.SURVEYS,
        "Outcome surveys",
        "Анкеты для оценки результатов",
        "answers to the programme's questionnaires, used only in anonymous statistics",
        "ответы на анкеты программы, используемые только в обезличенной статистике",
        False,
        36,
    ),
    (
        Subject.PARTNER,
        Purpose.SUPPORT,
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
        Subject.PARTNER,
        Purpose.SPECIAL,
        "Health information",
        "Сведения о состоянии здоровья",
        "injuries, health and wellbeing as they bear on her safety",
        "сведения о травмах, здоровье и самочувствии, имеющие значение для безопасности",
        True,
        36,
    ),
    (
        Subject.PARTNER,
        Purpose.SURVEYS,
        "Outcome surveys",
        "Анкеты для оценки результатов",
        "answers to the partner questionnaires, used only in anonymous statistics",
        "ответы на анкеты для партнёрок, используемые только в обезличенной статистике",
        False,
        36,
    ),
]


def install(organisation: Organisation) -> None:
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
