"""Synthetic demo data: two organisations (English and Russian) with one member of staff per role.

Every name comes from Faker (``en_GB`` and ``ru_RU``) with a fixed seed, so the demo looks the same
on every machine and holds no real person. Running it again changes nothing that exists.
Each domain app may add a ``demo.py`` with ``seed(context)``; :func:`seed_all` calls them in the
order of ``INSTALLED_APPS``, after the organisations and staff below exist.
"""

from dataclasses import dataclass, field

from django.db import transaction
from faker import Faker

from .hooks import app_modules
from .models import Organisation, Role, User
from .services import organisation_create, staff_user_create
from .two_factor import enrol_demo_user

DEMO_PASSWORD = "dvpp-demo-2026"  # noqa: S105 - a published demo password for synthetic data


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    country: str
    time_zone: str
    language: str
    faker_locale: str
    username_prefix: str


DEMO_ORGANISATIONS = (
    DemoOrganisation("demo", "Demo Crisis Centre", "GB", "Europe/London", "en", "en_GB", "demo"),
    DemoOrganisation(
        "demo-ru",
        "Кризисный центр «Демо»",
        "RU",
        "Asia/Yekaterinburg",
        "ru",
        "ru_RU",
        "ru",
    ),
)

ROLE_USERNAMES = {
    Role.FACILITATOR: "facilitator",
    Role.PARTNER_SUPPORT: "iss",
    Role.MANAGER: "manager",
    Role.ADMINISTRATOR: "admin",
}


@dataclass
class DemoContext:
    """What the demo seeders share: the organisations, their staff, and seeded Faker instances."""

    seed: int
    password: str
    organisations: dict[str, Organisation] = field(default_factory=dict)
    staff: dict[tuple[str, Role], User] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    coalition: object = None

    def faker(self, locale: str, salt: str) -> Faker:
        """A Faker whose output depends only on the seed, the locale and what it is for."""
        fake = Faker(locale)
        fake.seed_instance(f"{self.seed}:{locale}:{salt}")
        return fake

    def count(self, what: str, number: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + number


def _seed_staff(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=spec.slug).first()
        if organisation is None:
            organisation = organisation_create(
                name=spec.name,
                slug=spec.slug,
                country=spec.country,
                time_zone=spec.time_zone,
                default_language=spec.language,
            )
            context.count("organisations")
        context.organisations[spec.slug] = organisation
        for role, suffix in ROLE_USERNAMES.items():
            username = f"{spec.username_prefix}-{suffix}"
            user = User.objects.filter(username=username).first()
            if user is None:
                fake = context.faker(spec.faker_locale, username)
                female = fake.boolean()
                patronymic = ""
                if spec.faker_locale == "ru_RU":
                    first = fake.first_name_female() if female else fake.first_name_male()
                    last = fake.last_name_female() if female else fake.last_name_male()
                    patronymic = fake.middle_name_female() if female else fake.middle_name_male()
                else:
                    first, last = fake.first_name(), fake.last_name()
                user = staff_user_create(
                    username=username,
                    organisation=organisation,
                    role=role,
                    password=context.password,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                    patronymic=patronymic,
                )
                context.count("staff")
            # A known TOTP secret, so that `manage.py demo_code <username>` prints the code.
            enrol_demo_user(user)
            context.staff[(spec.slug, role)] = user


DEMO_COALITION = ("demo-coalition", "Demo coalition of crisis centres")
DEMO_ANALYST = "demo-analyst"


# A member of staff who has signed in with the password but not yet set up two-factor sign-in,
# so the administrator's home page has an account to follow up.
NEW_STARTER = "newstarter"
FAILED_SMS = {
    "en": "Reminder: your group meets on Thursday at 18:00.",
    "ru": "Напоминание: занятие группы в четверг в 18:00.",
}

# What the gateway answered, as a gateway of the service's country would write it.
FAILED_ERROR = {
    "en": "The gateway refused the number (demo).",
    "ru": "Шлюз отклонил номер (демонстрация).",
}


def _seed_today(context: DemoContext) -> None:
    """What the administrator and the manager find on their home pages: an account without
    two-factor sign-in, and a reminder the SMS gateway refused."""
    from .models import Notification

    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        username = f"{spec.username_prefix}-{NEW_STARTER}"
        if not User.objects.filter(username=username).exists():
            fake = context.faker(spec.faker_locale, username)
            staff_user_create(
                username=username,
                organisation=organisation,
                role=Role.FACILITATOR,
                password=context.password,
                email=f"{username}@example.org",
                first_name=fake.first_name_male(),
                last_name=fake.last_name_male(),
                patronymic=fake.middle_name_male() if spec.faker_locale == "ru_RU" else "",
            )
            context.count("staff")
        Notification.objects.get_or_create(
            key=f"demo-failed-reminder:{spec.slug}",
            defaults={
                "organisation": organisation,
                "kind": "reminder",
                "channel": Notification.Channel.SMS,
                "to": "+447700900123" if spec.language == "en" else "+79000000000",
                "body": FAILED_SMS[spec.language],
                "state": Notification.State.FAILED,
                "attempts": 5,
                "last_error": FAILED_ERROR[spec.language],
            },
        )


@transaction.atomic
def seed_all(*, seed: int = 2026, password: str = DEMO_PASSWORD) -> DemoContext:
    context = DemoContext(seed=seed, password=password)
    _seed_staff(context)
    _seed_today(context)
    for module in app_modules("demo"):
        module.seed(context)
    return context
