"""Existing organisations get the standard risk checklist.

The checklist is a frozen copy of partners.defaults as it stood on 2026-12-04 (a migration never
imports code that may change).
"""

from django.db import migrations

CHECKLIST_ITEMS = [
    (
        "Did the latest incident leave her injured?",
        "Получила ли она травмы при последнем инциденте?",
    ),
    ("Is she very frightened?", "Она очень напугана?"),
    ("Is she afraid of further injury or violence?", "Боится ли она новых травм или насилия?"),
    (
        "Does she feel cut off from family or friends?",
        "Чувствует ли она себя отрезанной от родных или друзей?",
    ),
    (
        "Is she feeling depressed or having thoughts of suicide?",
        "Есть ли у неё депрессия или мысли о самоубийстве?",
    ),
    (
        "Has she separated, or tried to, in the past year?",
        "Расставалась ли она с ним или пыталась расстаться за последний год?",
    ),
    (
        "Is there conflict over contact with the children?",
        "Есть ли конфликт из-за общения с детьми?",
    ),
    (
        "Does he keep calling, texting, following or harassing her?",
        "Он постоянно звонит, пишет, следит за ней или преследует её?",
    ),
    (
        "Is she pregnant, or has she had a baby in the last 18 months?",
        "Она беременна или родила ребёнка за последние 18 месяцев?",
    ),
    ("Is the abuse happening more often?", "Насилие стало происходить чаще?"),
    ("Is the abuse getting worse?", "Насилие становится тяжелее?"),
    (
        "Does he try to control everything she does, or is he extremely jealous?",
        "Он пытается контролировать всё, что она делает, или крайне ревнив?",
    ),
    (
        "Has he ever used a weapon or an object to hurt her?",
        "Применял ли он когда-нибудь оружие или предметы, чтобы причинить ей вред?",
    ),
    (
        "Has he ever threatened to kill her or someone else, and she believed him?",
        "Угрожал ли он убить её или кого-то ещё, и она поверила ему?",
    ),
    (
        "Has he ever tried to strangle, choke, suffocate or drown her?",
        "Пытался ли он когда-нибудь душить, топить или лишать её воздуха?",
    ),
    (
        "Does he do or say sexual things that degrade or hurt her or someone else?",
        "Совершает ли он действия сексуального характера, которые унижают или причиняют "
        "боль ей или другим?",
    ),
    (
        "Is there anyone else who has threatened her or whom she fears?",
        "Есть ли кто-то ещё, кто угрожал ей или кого она боится?",
    ),
    (
        "Has he hurt anyone else (children, relatives, strangers)?",
        "Причинял ли он вред кому-то ещё (детям, родственникам, посторонним)?",
    ),
    (
        "Has he ever mistreated an animal or the family pet?",
        "Жестоко ли он обращался с животными или домашним питомцем?",
    ),
    (
        "Are there money problems, such as her dependence on him or a recent job loss?",
        "Есть ли денежные проблемы, например её зависимость от него или недавняя потеря работы?",
    ),
    (
        "Has he had problems with drink, drugs or mental health in the past year?",
        "Были ли у него за последний год проблемы с алкоголем, наркотиками или психическим "
        "здоровьем?",
    ),
    (
        "Has he ever threatened or attempted suicide?",
        "Угрожал ли он покончить с собой или пытался сделать это?",
    ),
    (
        "Has he ever breached bail, an injunction or a court order?",
        "Нарушал ли он условия залога, запрет суда или другое судебное решение?",
    ),
    (
        "Does he have a criminal record or has he been in trouble with the police?",
        "Есть ли у него судимость или проблемы с полицией?",
    ),
]


def install_defaults(apps, schema_editor):
    Organisation = apps.get_model("dvpp", "Organisation")
    RiskChecklist = apps.get_model("partners", "RiskChecklist")
    RiskItem = apps.get_model("partners", "RiskItem")
    for organisation in Organisation.objects.all():
        if RiskChecklist.objects.filter(organisation_id=organisation.pk).exists():
            continue
        checklist = RiskChecklist.objects.create(
            organisation_id=organisation.pk,
            name_en="Risk identification checklist",
            name_ru="Опросник для оценки риска",
            version=1,
            high_risk_threshold=14,
            medium_risk_threshold=8,
        )
        RiskItem.objects.bulk_create(
            RiskItem(checklist=checklist, number=number, text_en=text_en, text_ru=text_ru)
            for number, (text_en, text_ru) in enumerate(CHECKLIST_ITEMS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("dvpp", "0003_organisation_partner_contact_working_days_auditevent")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
