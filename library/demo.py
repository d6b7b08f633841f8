"""The demo library: the English demo centre's cautioning programme, with session plans and a
handout, published to the demo coalition in two versions, so that the Russian centre's manager
finds a package to import (and the English one a history of versions)."""

from django.core.files.base import ContentFile

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Role
from sessions.curriculum import CAUTIONING_NAME
from sessions.models import Handout, Programme

from . import services
from .models import Package

PLANS = {
    1: (
        "Welcome and ground rules (15 min). What happened: each man's account, challenged "
        "gently (45 min). Break. Effects on partners and children: the letter exercise (45 min). "
        "What I take away (15 min).",
        "Знакомство и правила группы (15 мин). Что произошло: рассказ каждого, с мягким "
        "прояснением (45 мин). Перерыв. Последствия для партнёрши и детей: упражнение «письмо» "
        "(45 мин). Что я уношу с собой (15 мин).",
    ),
    2: (
        "Check-in since workshop 1 (20 min). Warning signs and time-out, practised in pairs "
        "(45 min). Break. Respectful ways through a conflict (40 min). My plan, and where to get "
        "help (20 min).",
        "Что изменилось после первого занятия (20 мин). Тревожные сигналы и тайм-аут, "
        "упражнение в парах (45 мин). Перерыв. Уважительные способы решать конфликт (40 мин). "
        "Мой план и где найти помощь (20 мин).",
    ),
}
TIME_OUT_CARD = (
    b"Time-out card\n\n1. Notice the signs: tight chest, raised voice, clenched hands.\n"
    b"2. Say: I am taking a time-out. I will be back in an hour.\n"
    b"3. Leave calmly. Walk; do not drive, drink or phone.\n"
    b"4. Come back when you said you would.\n"
)


def seed(context: DemoContext) -> None:
    if context.coalition is None:
        return
    spec = DEMO_ORGANISATIONS[0]
    organisation = context.organisations[spec.slug]
    programme = Programme.objects.filter(
        organisation=organisation, name_en=CAUTIONING_NAME[0]
    ).first()
    if programme is None or Package.objects.filter(programme=programme).exists():
        return
    manager = context.staff[(spec.slug, Role.MANAGER)]
    for theme in programme.themes.all():
        theme.plan_en, theme.plan_ru = PLANS.get(theme.number, ("", ""))
        theme.save(update_fields=["plan_en", "plan_ru"])

    def publish(note_en: str, note_ru: str) -> None:
        services.package_publish(
            organisation=organisation,
            by=manager,
            coalition=context.coalition,
            programme=programme,
            instruments=[],
            change_note_en=note_en,
            change_note_ru=note_ru,
        )
        context.count("packages")

    publish(
        "Two workshops for men cautioned by the police, with session plans.",
        "Два занятия для мужчин, получивших полицейское предупреждение, с планами занятий.",
    )
    handout = Handout(
        theme=programme.themes.get(number=2),
        title_en="Time-out card",
        title_ru="Карточка тайм-аута",
    )
    handout.file.save("time-out-card.txt", ContentFile(TIME_OUT_CARD), save=True)
    publish("Workshop 2: a time-out card to take home.", "Занятие 2: карточка тайм-аута с собой.")
