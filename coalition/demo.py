"""The demo coalition: both demo organisations in it, with its analyst, and its figures:
tonight's snapshot of each demo organisation, taken now (on a live service the nightly task
takes them), so that its analyst has figures to read."""

from dvpp.demo import DEMO_ANALYST, DEMO_COALITION, DEMO_ORGANISATIONS, DemoContext
from dvpp.models import User
from dvpp.services import coalition_analyst_create
from dvpp.two_factor import enrol_demo_user
from outcomes.services import snapshot_build

from .models import Coalition, Membership


def seed(context: DemoContext) -> None:
    _seed_coalition(context)
    for spec in DEMO_ORGANISATIONS:
        _snapshot, created = snapshot_build(organisation=context.organisations[spec.slug])
        if created:
            context.count("snapshots")


def _seed_coalition(context: DemoContext) -> None:
    """Both demo organisations in one coalition (the English one shown by name, the Russian one
    anonymous), with its analyst."""
    slug, name = DEMO_COALITION
    coalition, created = Coalition.objects.get_or_create(slug=slug, defaults={"name": name})
    if created:
        context.count("coalitions")
    for spec, shown in zip(DEMO_ORGANISATIONS, (True, False), strict=True):
        Membership.objects.get_or_create(
            coalition=coalition,
            organisation=context.organisations[spec.slug],
            left_on=None,
            defaults={"shown_by_name": shown},
        )
    user = User.objects.filter(username=DEMO_ANALYST).first()
    if user is None:
        fake = context.faker("en_GB", DEMO_ANALYST)
        user = coalition_analyst_create(
            username=DEMO_ANALYST,
            coalition=coalition,
            password=context.password,
            email=f"{DEMO_ANALYST}@example.org",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
        )
        context.count("staff")
    enrol_demo_user(user)
    context.coalition = coalition
