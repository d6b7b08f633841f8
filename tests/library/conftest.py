"""A coalition that organisations A and B belong to (C does not), and a programme of A's ready to
publish: two workshops with session plans in both languages and a handout each."""

import pytest
from django.core.files.base import ContentFile

from coalition.models import Coalition, Membership
from library import services
from outcomes.models import Instrument
from sessions.curriculum import programme_install_cautioning
from sessions.models import Handout, Programme
from tests.conftest import make_personas

PDF = b"%PDF-1.4\n% a synthetic handout\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def coalition(org_a) -> Coalition:
    """Organisation A's coalition (each persona set's organisation has its own)."""
    return Membership.objects.get(organisation=org_a.organisation).coalition


@pytest.fixture
def shared(coalition, org_b) -> Coalition:
    """A's coalition, which B has joined (by name in its figures: it agreed)."""
    Membership.objects.create(coalition=coalition, organisation=org_b.organisation)
    Membership.objects.filter(coalition=coalition, organisation__slug="org-a").update(
        shown_by_name=True
    )
    return coalition


@pytest.fixture
def org_c(db):
    """An organisation of another coalition (or another installation)."""
    return make_personas("org-c", "Organisation C")


def add_handout(theme, title_en: str, title_ru: str, content: bytes = PDF, name="sheet.pdf"):
    handout = Handout(theme=theme, title_en=title_en, title_ru=title_ru)
    handout.file.save(name, ContentFile(content), save=True)
    return handout


@pytest.fixture
def workshops(org_a) -> Programme:
    """A's two-workshop programme, with plans in both languages and a handout a week."""
    programme = programme_install_cautioning(org_a.organisation)
    programme.name_en = "Respectful relationships: two workshops"
    programme.name_ru = "Уважительные отношения: два занятия"
    programme.save()
    for theme in programme.themes.all():
        theme.plan_en = f"Welcome. Exercise {theme.number}. Close."
        theme.plan_ru = f"Приветствие. Упражнение {theme.number}. Завершение."
        theme.save()
        add_handout(theme, f"Worksheet {theme.number}", f"Рабочий лист {theme.number}")
    return programme


def publish(org, programme, coalition, *, instruments=(), note="First version", note_ru=""):
    return services.package_publish(
        organisation=org.organisation,
        by=org.manager,
        coalition=coalition,
        programme=programme,
        instruments=list(instruments),
        change_note_en=note,
        change_note_ru=note_ru,
    )


def instrument(org, code: str) -> Instrument:
    return Instrument.objects.filter(
        organisation=org.organisation, code=code, is_current=True
    ).get()
