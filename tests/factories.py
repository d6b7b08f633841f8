import factory
from factory.django import DjangoModelFactory

from dvpp.hooks import app_modules
from dvpp.models import Organisation, Role, User
from dvpp.services import user_set_role
from participants.models import CaseNoteCategory, Participant, Referral, ReferralSource

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(DjangoModelFactory):
    """An organisation with the shipped lookups of its country, as organisation_create makes."""

    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")
    country = Organisation.Country.GB
    holiday_region = factory.LazyAttribute(lambda o: "ENG" if o.country == "GB" else "")

    @factory.post_generation
    def defaults(organisation, create, extracted, **kwargs):
        if create:
            for module in app_modules("defaults"):
                module.install(organisation)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.FACILITATOR
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def assign_role(user, create, extracted, **kwargs):
        if create and user.role:
            user_set_role(user=user, role=user.role)


class ParticipantFactory(DjangoModelFactory):
    """A case in any status, made directly (for tests of what happens next)."""

    class Meta:
        model = Participant

    organisation = factory.SubFactory(OrganisationFactory)
    # Numbers from 60001 up, far from the organisation counter's (00001 up), so a case made by the
    # app in a test (intake, import) never collides with one the factory made.
    reference = factory.Sequence(lambda n: f"{n + 60001:05d}")
    last_name = factory.Faker("last_name_male", locale="ru_RU")
    first_name = factory.Faker("first_name_male", locale="ru_RU")
    patronymic = factory.Faker("middle_name_male", locale="ru_RU")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=20, maximum_age=60)
    preferred_language = "ru"


def source_of(organisation: Organisation, code: str = "court") -> ReferralSource:
    return ReferralSource.objects.get(organisation=organisation, code=code)


def category_of(organisation: Organisation, code: str = "contact") -> CaseNoteCategory:
    return CaseNoteCategory.objects.get(organisation=organisation, code=code)


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.SelfAttribute("participant.organisation")
    source = factory.LazyAttribute(lambda referral: source_of(referral.organisation))
    referrer_organisation = "Probation Service"
    made_on = factory.Faker("date_between", start_date="-60d", end_date="-30d")
    received_on = factory.SelfAttribute("made_on")
    reason = "Referred by probation."
