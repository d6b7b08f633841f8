"""The demo coalition's figures: tonight's snapshot of each demo organisation, taken now (on a
live service the nightly task takes them), so that its analyst has figures to read."""

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from outcomes.services import snapshot_build


def seed(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        _snapshot, created = snapshot_build(organisation=context.organisations[spec.slug])
        if created:
            context.count("snapshots")
