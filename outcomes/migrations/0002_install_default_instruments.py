"""Existing organisations get the two standard surveys.

The surveys are a frozen copy of outcomes.defaults as it stood on 2026-12-04 (a migration never
imports code that may change).
"""

from django.db import migrations

FREQ = "frequency"
PARTNER_SURVEY = {
    "code": "partner-safety",
    "subject": "partner",
    "name_en": "Partner safety survey",
    "name_ru": "Опрос партнёрши о безопасности",
    "questions": [
        (
            "injured",
            "yes_no",
            "In the last three months, has he physically injured you?",
            "За последние три месяца он причинял вам физические травмы?",
            [],
        ),
        (
            "feels_safe",
            "choice",
            "How safe do you feel?",
            "Насколько безопасно вы себя чувствуете?",
            [
                ["very", "Very safe", "В полной безопасности"],
                ["fairly", "Fairly safe", "В относительной безопасности"],
                ["not_very", "Not very safe", "Не очень безопасно"],
                ["not_at_all", "Not safe at all", "Совсем небезопасно"],
            ],
        ),
        (
            "physical",
            FREQ,
            "In the last three months, how often has he been physically violent?",
            "Как часто за последние три месяца он применял физическое насилие?",
            [],
        ),
        (
            "sexual",
            FREQ,
            "…forced or pressured you into sexual acts?",
            "…принуждал вас к действиям сексуального характера?",
            [],
        ),
        ("threats", FREQ, "…threatened you or the children?", "…угрожал вам или детям?", []),
        (
            "weapon",
            "yes_no",
            "In the last three months, has he used or threatened a weapon?",
            "За последние три месяца он применял оружие или угрожал им?",
            [],
        ),
        (
            "controlling",
            FREQ,
            "…tried to control what you do, where you go or whom you see?",
            "…пытался контролировать, что вы делаете, куда ходите и с кем видитесь?",
            [],
        ),
        (
            "harassment",
            FREQ,
            "…followed, watched or harassed you?",
            "…следил за вами, преследовал или донимал вас?",
            [],
        ),
        (
            "children_exposure",
            FREQ,
            "…have the children seen or heard abuse?",
            "…видели или слышали ли дети насилие?",
            [],
        ),
        (
            "space_for_action",
            "scale",
            "How free do you feel to make your own choices? (1: not at all, 10: completely)",
            "Насколько вы свободны в своих решениях? (1 — совсем нет, 10 — полностью)",
            [1, 10],
        ),
        ("comments", "text", "Anything else she wants to say", "Что ещё она хочет сказать", []),
    ],
    "measures": [
        ("injured", "Physically injured", "Получала физические травмы", "injured", ["yes"]),
        (
            "very_safe",
            "Feels very safe",
            "Чувствует себя в полной безопасности",
            "feels_safe",
            ["very"],
        ),
        (
            "not_safe_at_all",
            "Feels not safe at all",
            "Совсем не чувствует себя в безопасности",
            "feels_safe",
            ["not_at_all"],
        ),
        (
            "physical",
            "Any physical violence",
            "Было физическое насилие",
            "physical",
            ["once", "few", "often"],
        ),
        (
            "sexual",
            "Any forced sexual acts",
            "Было сексуальное принуждение",
            "sexual",
            ["once", "few", "often"],
        ),
        ("threats", "Any threats", "Были угрозы", "threats", ["once", "few", "often"]),
        (
            "weapon",
            "Weapon used or threatened",
            "Применялось оружие или угрозы оружием",
            "weapon",
            ["yes"],
        ),
        (
            "controlling",
            "Any controlling behaviour",
            "Было контролирующее поведение",
            "controlling",
            ["once", "few", "often"],
        ),
        (
            "harassment",
            "Any harassment",
            "Было преследование",
            "harassment",
            ["once", "few", "often"],
        ),
        (
            "children_exposure",
            "Children saw or heard abuse",
            "Дети видели или слышали насилие",
            "children_exposure",
            ["once", "few", "often"],
        ),
        (
            "space_for_action",
            "Space for action 7 or more",
            "Свобода решений 7 и выше",
            "space_for_action",
            ["7", "8", "9", "10"],
        ),
    ],
}
MEN_SURVEY = {
    "code": "men-self-report",
    "subject": "man",
    "name_en": "Men's self-report survey",
    "name_ru": "Самоотчёт участника",
    "questions": [
        (
            "violence",
            FREQ,
            "In the last three months, how often have you been physically violent to a partner?",
            "Как часто за последние три месяца вы применяли физическое насилие к партнёрше?",
            [],
        ),
        (
            "controlling",
            FREQ,
            "…tried to control what she does or whom she sees?",
            "…пытались контролировать, что она делает и с кем видится?",
            [],
        ),
        (
            "responsibility",
            "scale",
            "“I take responsibility for my behaviour” (1: not at all, 5: fully)",
            "«Я беру на себя ответственность за своё поведение» (1 — совсем нет, 5 — полностью)",
            [1, 5],
        ),
        (
            "children_impact",
            "yes_no",
            "Do you think your behaviour affected the children?",
            "Считаете ли вы, что ваше поведение повлияло на детей?",
            [],
        ),
        ("comments", "text", "Anything else", "Другое", []),
    ],
    "measures": [
        (
            "violence",
            "Any physical violence (self-report)",
            "Физическое насилие (самоотчёт)",
            "violence",
            ["once", "few", "often"],
        ),
        (
            "controlling",
            "Any controlling behaviour (self-report)",
            "Контролирующее поведение (самоотчёт)",
            "controlling",
            ["once", "few", "often"],
        ),
        (
            "responsibility",
            "Takes responsibility (4 or 5)",
            "Берёт ответственность (4 или 5)",
            "responsibility",
            ["4", "5"],
        ),
        (
            "children_impact",
            "Sees the effect on the children",
            "Видит влияние на детей",
            "children_impact",
            ["yes"],
        ),
    ],
}


def install_defaults(apps, schema_editor):
    Organisation = apps.get_model("dvpp", "Organisation")
    Instrument = apps.get_model("outcomes", "Instrument")
    Question = apps.get_model("outcomes", "Question")
    Measure = apps.get_model("outcomes", "Measure")
    for organisation in Organisation.objects.all():
        for spec in (PARTNER_SURVEY, MEN_SURVEY):
            if Instrument.objects.filter(organisation_id=organisation.pk, code=spec["code"]).exists():
                continue
            instrument = Instrument.objects.create(
                organisation_id=organisation.pk,
                code=spec["code"],
                version=1,
                subject=spec["subject"],
                name_en=spec["name_en"],
                name_ru=spec["name_ru"],
            )
            Question.objects.bulk_create(
                Question(
                    instrument=instrument,
                    number=number,
                    code=code,
                    kind=kind,
                    text_en=en,
                    text_ru=ru,
                    options=options,
                    required=kind != "text",
                )
                for number, (code, kind, en, ru, options) in enumerate(spec["questions"], start=1)
            )
            Measure.objects.bulk_create(
                Measure(
                    instrument=instrument,
                    code=code,
                    label_en=en,
                    label_ru=ru,
                    question_code=question,
                    values=values,
                    position=position,
                )
                for position, (code, en, ru, question, values) in enumerate(spec["measures"])
            )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
