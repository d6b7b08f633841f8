"""A facilitator of a Russian service works in Russian: intake with a patronymic and a Russian
referral route, in the browser."""

import datetime
import re

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from dvpp.models import Role
from participants.models import Participant
from tests.factories import OrganisationFactory, UserFactory


def ru(message: str) -> str:
    with translation.override("ru"):
        return str(capfirst(_(message)))


def field(form, label):
    return form.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_a_referral_from_the_inspectorate_in_russian(page, sign_in, db):
    today = timezone.localdate()
    organisation = OrganisationFactory(
        slug="ural", name="Кризисный центр «Урал»", country="RU", holiday_region=""
    )
    facilitator = UserFactory(
        username="ural-facilitator", organisation=organisation, role=Role.FACILITATOR
    )
    sign_in(facilitator.username)
    page.get_by_test_id("language-switcher").get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_test_id("main-nav").get_by_role("link", name=ru("Cases")).click()
    page.get_by_role("link", name=ru("New referral")).click()

    form = page.get_by_test_id("intake-form")
    field(form, ru("Surname")).fill("Кузнецов")
    field(form, ru("Given name")).fill("Алексей")
    field(form, ru("Patronymic")).fill("Викторович")
    field(form, ru("Date of birth")).fill("1979-11-03")
    field(form, ru("Source")).select_option(label="Уголовно-исполнительная инспекция ФСИН")
    field(form, ru("Referring organisation")).fill("Филиал по Ленинскому району г. Екатеринбурга")
    field(form, ru("referral made on")).fill((today - datetime.timedelta(days=1)).isoformat())
    field(form, ru("received on")).fill(today.isoformat())
    field(form, ru("Reason for referral")).fill("Условное осуждение, ст. 116.1 УК РФ.")
    form.get_by_role("button", name=ru("Open case")).click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Кузнецов Алексей Викторович")
    expect(page.get_by_test_id("case-status")).to_contain_text(ru("Referred"))
    man = Participant.objects.get()
    assert (man.last_name, man.first_name, man.patronymic) == ("Кузнецов", "Алексей", "Викторович")
    assert man.referrals.get().source.code == "penitentiary-inspectorate"
    # Found by his name written without «ё» rules or case, and by the Latin spelling's absence.
    page.goto("/cases/?q=кузнецов+алексей")
    expect(page.get_by_test_id("case-table").get_by_role("link")).to_have_text(
        ["Кузнецов Алексей Викторович"]
    )
