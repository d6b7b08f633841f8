"""Programmes an organisation starts from and adapts, in English and Russian: the 30-week
curriculum of the themes UK perpetrator programmes usually work through
(``programme_install_standard``) and a two-workshop police cautioning programme
(``programme_install_cautioning``). Used by seed_demo."""

from django.db import transaction

from dvpp.models import Organisation

from .models import Programme, Theme

# (English title, Russian title, English description, Russian description, core)
STANDARD_30_WEEKS: list[tuple[str, str, str, str, bool]] = [
    (
        "Introduction and group agreement",
        "Знакомство и правила группы",
        "Why we are here, what the group expects, confidentiality and its limits.",
        "Зачем мы здесь, ожидания группы, конфиденциальность и её пределы.",
        True,
    ),
    (
        "What is domestic abuse?",
        "Что такое домашнее насилие?",
        "Physical, sexual, emotional, economic abuse and coercive control.",
        "Физическое, сексуальное, психологическое, экономическое насилие и принуждающий контроль.",
        True,
    ),
    (
        "Violence and its effects",
        "Насилие и его последствия",
        "The effects of abuse on partners, children and the man himself.",
        "Последствия насилия для партнёрши, детей и самого мужчины.",
        True,
    ),
    (
        "Power and control",
        "Власть и контроль",
        "The power and control wheel; how abusive behaviour serves to control.",
        "Колесо власти и контроля; как насилие служит контролю.",
        True,
    ),
    (
        "Beliefs about men and women",
        "Представления о мужчинах и женщинах",
        "Gender expectations and entitlement.",
        "Гендерные ожидания и чувство права.",
        True,
    ),
    (
        "Responsibility and accountability",
        "Ответственность",
        "Minimising, denying and blaming; owning one's behaviour.",
        "Преуменьшение, отрицание и обвинение; ответственность за своё поведение.",
        True,
    ),
    (
        "Time-out and safety planning",
        "Тайм-аут и план безопасности",
        "Recognising escalation and stopping safely.",
        "Как распознать нарастание и безопасно остановиться.",
        True,
    ),
    (
        "Emotions: anger and what lies beneath",
        "Эмоции: гнев и то, что за ним",
        "Anger as a secondary emotion; naming feelings.",
        "Гнев как вторичная эмоция; как называть чувства.",
        True,
    ),
    (
        "Self-talk and thinking errors",
        "Внутренний диалог и искажения мышления",
        "How thoughts feed abusive choices.",
        "Как мысли подпитывают выбор в пользу насилия.",
        False,
    ),
    (
        "Jealousy and possessiveness",
        "Ревность и собственничество",
        "Jealousy as control; trust and insecurity.",
        "Ревность как контроль; доверие и неуверенность.",
        True,
    ),
    (
        "Respect",
        "Уважение",
        "What respectful relationships look like in practice.",
        "Как выглядят уважительные отношения на практике.",
        True,
    ),
    (
        "Emotional abuse",
        "Психологическое насилие",
        "Put-downs, threats, isolation and their impact.",
        "Унижение, угрозы, изоляция и их влияние.",
        True,
    ),
    (
        "Economic abuse",
        "Экономическое насилие",
        "Control of money, work and resources.",
        "Контроль над деньгами, работой и ресурсами.",
        False,
    ),
    (
        "Sexual respect",
        "Сексуальное уважение",
        "Consent, pressure and sexual abuse in relationships.",
        "Согласие, давление и сексуальное насилие в отношениях.",
        True,
    ),
    (
        "Children's experience of domestic abuse",
        "Дети и домашнее насилие",
        "What children see, hear and carry.",
        "Что дети видят, слышат и несут с собой.",
        True,
    ),
    (
        "Parenting and fathering",
        "Отцовство",
        "Being a safe and caring father.",
        "Быть безопасным и заботливым отцом.",
        True,
    ),
    (
        "Separation and contact",
        "Расставание и встречи с детьми",
        "Post-separation abuse and child contact.",
        "Насилие после расставания и общение с детьми.",
        False,
    ),
    (
        "Communication",
        "Общение",
        "Listening, speaking without abuse.",
        "Слушать и говорить без насилия.",
        True,
    ),
    (
        "Negotiation and fairness",
        "Переговоры и справедливость",
        "Handling conflict and disagreement fairly.",
        "Как справедливо решать конфликты и разногласия.",
        True,
    ),
    (
        "Alcohol, drugs and abuse",
        "Алкоголь, наркотики и насилие",
        "Substances as excuses and as risks.",
        "Вещества как оправдание и как фактор риска.",
        False,
    ),
    (
        "Stress and coping",
        "Стресс и совладание",
        "Non-abusive ways of managing pressure.",
        "Ненасильственные способы справляться с давлением.",
        False,
    ),
    (
        "Shame and self-esteem",
        "Стыд и самооценка",
        "Shame, defensiveness and change.",
        "Стыд, защита и изменения.",
        False,
    ),
    (
        "Masculinity",
        "Мужественность",
        "Messages about being a man; choosing other ways.",
        "Что говорят о том, каким быть мужчиной; другие пути.",
        False,
    ),
    (
        "Empathy and the partner's perspective",
        "Эмпатия и взгляд партнёрши",
        "Seeing the relationship through her eyes.",
        "Увидеть отношения её глазами.",
        True,
    ),
    (
        "Trust and repair",
        "Доверие и восстановление",
        "What rebuilding trust demands, and that it may not be possible.",
        "Что нужно для восстановления доверия — и что оно может быть невозможно.",
        False,
    ),
    (
        "Warning signs",
        "Тревожные сигналы",
        "Personal warning signs and high-risk situations.",
        "Личные тревожные сигналы и ситуации высокого риска.",
        True,
    ),
    (
        "Relapse prevention",
        "Предотвращение срыва",
        "A personal plan for staying non-abusive.",
        "Личный план, как не возвращаться к насилию.",
        True,
    ),
    (
        "Support networks",
        "Поддержка",
        "Who can help, and how to ask.",
        "Кто может помочь и как попросить.",
        False,
    ),
    (
        "Review of change",
        "Обзор изменений",
        "Looking back at what has changed and what has not.",
        "Что изменилось, а что нет.",
        True,
    ),
    (
        "Ending and moving on",
        "Завершение и дальнейший путь",
        "Endings, commitments and next steps.",
        "Завершение, обязательства и следующие шаги.",
        True,
    ),
]


@transaction.atomic
def programme_install_standard(organisation: Organisation) -> Programme:
    """Create the 30-week programme with its standard curriculum for an organisation."""
    programme = Programme.objects.create(
        organisation=organisation,
        name_en="30-week domestic violence perpetrator programme",
        name_ru="30-недельная программа для авторов домашнего насилия",
        session_count=len(STANDARD_30_WEEKS),
    )
    Theme.objects.bulk_create(
        Theme(
            programme=programme,
            number=number,
            title_en=title_en,
            title_ru=title_ru,
            description_en=description_en,
            description_ru=description_ru,
            is_core=core,
        )
        for number, (title_en, title_ru, description_en, description_ru, core) in enumerate(
            STANDARD_30_WEEKS, start=1
        )
    )
    return programme


# A police cautioning scheme in the manner of CARA (Hampshire, West Midlands): two workshops a
# few weeks apart, both of which must be attended within the caution's conditions.
CAUTIONING_NAME = (
    "Cautioning programme: two workshops",
    "Программа при полицейском предупреждении: два занятия",
)
CAUTIONING_WORKSHOPS: list[tuple[str, str, str, str, bool]] = [
    (
        "Workshop 1: what happened and its effects",
        "Занятие 1: что произошло и к чему это привело",
        "The incident that led to the caution; what domestic abuse is; its effects on partners "
        "and children; taking responsibility instead of blaming.",
        "Случай, из-за которого вынесено предупреждение; что такое домашнее насилие; его "
        "последствия для партнёрши и детей; ответственность вместо обвинения.",
        True,
    ),
    (
        "Workshop 2: choosing not to be abusive",
        "Занятие 2: выбор без насилия",
        "Warning signs and time-out; respectful ways through conflict; a personal plan for "
        "staying safe, and where to get help.",
        "Тревожные сигналы и тайм-аут; уважительные способы решать конфликты; личный план "
        "безопасного поведения и где найти помощь.",
        True,
    ),
]


@transaction.atomic
def programme_install_cautioning(organisation: Organisation) -> Programme:
    """Create the two-workshop cautioning programme for an organisation: workshops three weeks
    apart, both needed, within 84 days (12 weeks) of the caution; a missed workshop means both
    again and the referrer told; the outcome is reported to the referrer. Change any of it in
    the admin site (Programmes) to match the caution's conditions where the service runs."""
    programme = Programme(
        organisation=organisation,
        name_en=CAUTIONING_NAME[0],
        name_ru=CAUTIONING_NAME[1],
        session_count=len(CAUTIONING_WORKSHOPS),
        interval_days=21,
        session_minutes=150,
        completion_min_sessions=len(CAUTIONING_WORKSHOPS),
        complete_within_days=84,
        missed_session_restarts=True,
        report_outcome_to_referrer=True,
    )
    programme.full_clean(exclude=["organisation"])
    programme.save()
    Theme.objects.bulk_create(
        Theme(
            programme=programme,
            number=number,
            title_en=title_en,
            title_ru=title_ru,
            description_en=description_en,
            description_ru=description_ru,
            is_core=core,
        )
        for number, (title_en, title_ru, description_en, description_ru, core) in enumerate(
            CAUTIONING_WORKSHOPS, start=1
        )
    )
    return programme
