"""The demo coalition's library: the English centre's cautioning programme in two versions."""

from django.core.management import call_command
from django.urls import reverse

from dvpp.models import User
from library.models import Package


def test_the_demo_publishes_a_package_the_russian_centre_can_import(client_for, db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    versions = list(Package.objects.order_by("version").values_list("version", "coalition__slug"))
    assert versions == [(1, "demo-coalition"), (2, "demo-coalition")]
    latest = Package.objects.get(version=2)
    assert latest.manifest["themes"][0]["plan_ru"].startswith("Знакомство")
    assert latest.manifest["themes"][1]["handouts"][0]["title_ru"] == "Карточка тайм-аута"
    page = client_for(User.objects.get(username="ru-manager")).get(reverse("library:index"))
    assert "Demo Crisis Centre" in page.content.decode()
    call_command("seed_demo")
    assert Package.objects.count() == 2
