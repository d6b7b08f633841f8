"""His consents on his case page: record, withdraw, print the form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentTemplate, ManConsent
from dvpp.models import AuditEvent
from tests.factories import ParticipantFactory

TODAY = timezone.localdate().isoformat()


@pytest.fixture
def man(org_a):
    return ParticipantFactory(
        organisation=org_a.organisation,
        last_name="Сидоров",
        first_name="Пётр",
        patronymic="Ильич",
        preferred_language="ru",
    )


def template(org, purpose):
    return ConsentTemplate.objects.get(
        organisation=org.organisation, subject="man", purpose=purpose, is_current=True
    )


def case_page(client, man) -> str:
    return client.get(reverse("participants:detail", args=[man.public_id])).content.decode()


def test_the_case_page_warns_until_consent_is_recorded(client_for, org_a, man):
    client = client_for(org_a.facilitator)
    assert "No valid consent: Taking part in the programme." in case_page(client, man)
    response = client.post(
        reverse("consent:add", args=[man.public_id]),
        {"template": template(org_a, "programme").pk, "given_on": TODAY, "how": "in_person"},
        follow=True,
    )
    page = response.content.decode()
    assert "Consent recorded." in page
    assert "No valid consent" not in page
    assert "Taking part in the domestic violence perpetrator programme" in page


def test_health_data_by_phone_is_refused_with_a_clear_message(client_for, org_a, man):
    response = client_for(org_a.facilitator).post(
        reverse("consent:add", args=[man.public_id]),
        {"template": template(org_a, "special").pk, "given_on": TODAY, "how": "phone"},
        follow=True,
    )
    assert "only a signed paper consent counts" in response.content.decode()
    assert not ManConsent.objects.exists()


def test_a_template_of_another_organisation_is_refused(client_for, org_a, org_b, man):
    response = client_for(org_a.facilitator).post(
        reverse("consent:add", args=[man.public_id]),
        {"template": template(org_b, "programme").pk, "given_on": TODAY, "how": "in_person"},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ManConsent.objects.exists()


def test_a_withdrawal_is_recorded_and_shown(client_for, org_a, man):
    client = client_for(org_a.facilitator)
    client.post(
        reverse("consent:add", args=[man.public_id]),
        {"template": template(org_a, "programme").pk, "given_on": TODAY, "how": "in_person"},
    )
    record = ManConsent.objects.get()
    response = client.post(
        reverse("consent:withdraw", args=[man.public_id, record.pk]),
        {"withdrawn_on": TODAY, "withdrawal_how": "phone"},
        follow=True,
    )
    assert "The withdrawal is recorded." in response.content.decode()
    assert "No valid consent" in response.content.decode()
    record.refresh_from_db()
    assert record.withdrawn_on is not None


def test_partner_support_reads_his_consents_but_records_none(client_for, org_a, man):
    page = case_page(client_for(org_a.partner_support), man)
    assert 'data-testid="consents"' in page
    assert 'data-testid="consent-form"' not in page


def test_the_printed_form_is_in_his_language_with_his_name(client_for, org_a, man):
    url = reverse("consent:print", args=[man.public_id, template(org_a, "special").pk])
    page = client_for(org_a.facilitator).get(url).content.decode()
    assert '<html lang="ru">' in page
    assert "Сидоров Пётр Ильич" in page
    assert "Сведения о состоянии здоровья" in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_id=str(man.public_id), what="consent form"
    ).exists()


def test_an_old_version_of_a_form_is_not_printed(client_for, org_a, man):
    old = template(org_a, "programme")
    old.is_current = False
    old.save()
    url = reverse("consent:print", args=[man.public_id, old.pk])
    assert client_for(org_a.facilitator).get(url).status_code == 404


def test_changing_a_template_in_the_admin_makes_a_new_version(client_for, org_a, man):
    from consent.services import man_consent_give

    old = template(org_a, "programme")
    given = man_consent_give(
        participant=man,
        template=old,
        given_on=timezone.localdate(),
        how="signed",
        by=org_a.facilitator,
    )
    client = client_for(org_a.administrator, reauthenticated=True)
    url = reverse("admin:consent_consenttemplate_change", args=[old.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(title_en="Taking part in the programme (2027 wording)", special_categories="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = template(org_a, "programme")
    assert (new.version, new.title_en) == (2, "Taking part in the programme (2027 wording)")
    old.refresh_from_db()
    assert not old.is_current and old.title_en.startswith("Taking part in the domestic")
    given.refresh_from_db()
    assert given.template_id == old.pk


def test_her_consent_is_recorded_behind_the_wall_and_only_in_her_package(client_for, org_a, man):
    import io
    import zipfile

    from partners import services as partner_services
    from partners.models import PartnerConsent

    partner = partner_services.partner_create(
        organisation=org_a.organisation,
        by=org_a.partner_support,
        participant=man,
        data={"last_name": "Орлова", "first_name": "Анна", "relationship": "ex_partner"},
    )
    support = ConsentTemplate.objects.get(
        organisation=org_a.organisation, subject="partner", purpose="support"
    )
    worker = client_for(org_a.partner_support, reauthenticated=True)
    response = worker.post(
        reverse("partners:add_consent", args=[partner.public_id]),
        {"template": support.pk, "given_on": TODAY, "how": "phone"},
        follow=True,
    )
    assert "Consent recorded." in response.content.decode()
    assert PartnerConsent.objects.filter(partner=partner).count() == 1

    def package_text(client, url):
        data = client.post(url).content
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(n).decode() for n in archive.namelist())

    hers = package_text(worker, reverse("partners:subject_access", args=[partner.public_id]))
    assert "Support for partners and ex-partners" in hers
    manager = client_for(org_a.manager, reauthenticated=True)
    his = package_text(manager, reverse("participants:subject_access", args=[man.public_id]))
    assert "Support for partners and ex-partners" not in his
    assert "Орлова" not in his


def test_his_request_is_logged_and_answered_by_the_package(client_for, org_a, man):
    from consent.models import SubjectRequest

    client = client_for(org_a.manager, reauthenticated=True)
    url = reverse("participants:log_request", args=[man.public_id])
    response = client.post(url, {"kind": "access", "received_on": TODAY}, follow=True)
    assert "The request is logged. The answer is due by" in response.content.decode()
    logged = SubjectRequest.objects.get()
    assert logged.participant == man and logged.answered_on is None
    client.post(reverse("participants:subject_access", args=[man.public_id]))
    logged.refresh_from_db()
    assert logged.answered_on == timezone.localdate() and logged.answered_by == org_a.manager


def test_an_overdue_request_is_marked(client_for, org_a, man):
    import datetime

    from consent.models import SubjectRequest

    SubjectRequest.objects.create(
        organisation=org_a.organisation,
        subject="man",
        participant=man,
        kind="access",
        received_on=timezone.localdate() - datetime.timedelta(days=60),
        due_on=timezone.localdate() - datetime.timedelta(days=30),
        recorded_by=org_a.manager,
    )
    client = client_for(org_a.manager, reauthenticated=True)
    page = client.get(reverse("participants:subject_access", args=[man.public_id]))
    assert 'data-testid="request-overdue"' in page.content.decode()
