import factory
from factory.django import DjangoModelFactory

from dvpp.models import Organisation, Role, User
from dvpp.services import user_set_role

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")


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
