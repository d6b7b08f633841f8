"""Demo consents: most men consented in person; a few have not yet, so the warnings show in the
demo too. (A partner's consents are seeded behind the wall, by ``partners.demo``.)"""

import datetime
import random

from django.utils import timezone

from dvpp.demo import DEMO_ORGANISATIONS, DemoContext
from dvpp.models import Role
from participants.models import Participant

from .models import ConsentTemplate, ManConsent, Purpose, Subject, SubjectRequest
from .services import request_due_on, subject_request_log


def seed(context: DemoContext) -> None:
    _seed_consents(context)
    _seed_requests(context)


def _seed_requests(context: DemoContext) -> None:
    """A man's request to see his data, received so that its legal deadline is two to four days
    away on the day the demo is seeded: the manager's home page has one to answer."""
    today = timezone.localdate()
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if SubjectRequest.objects.filter(organisation=organisation).exists():
            continue
        man = Participant.objects.filter(organisation=organisation).order_by("reference").first()
        received = today
        while (request_due_on(organisation, received) - today).days > 3:
            received -= datetime.timedelta(days=1)
        subject_request_log(
            person=man,
            kind=SubjectRequest.Kind.ACCESS,
            received_on=received,
            by=context.staff[(spec.slug, Role.MANAGER)],
        )


def _seed_consents(context: DemoContext) -> None:
    for spec in DEMO_ORGANISATIONS:
        organisation = context.organisations[spec.slug]
        if ManConsent.objects.filter(organisation=organisation).exists():
            continue
        rng = random.Random(f"{context.seed}:consent:{spec.slug}")  # noqa: S311 - demo data
        templates = {
            (t.subject, t.purpose): t
            for t in ConsentTemplate.objects.filter(organisation=organisation, is_current=True)
        }
        facilitator = context.staff[(spec.slug, Role.FACILITATOR)]
        men = []
        for man in Participant.objects.filter(organisation=organisation):
            if rng.random() < 0.1:
                continue  # not yet: his case shows the warning
            given_on = man.created_at.date()
            men.append(
                _record(
                    ManConsent,
                    organisation,
                    templates[(Subject.MAN, Purpose.PROGRAMME)],
                    given_on,
                    facilitator,
                    participant=man,
                )
            )
            if man.reminder_consent:
                men.append(
                    _record(
                        ManConsent,
                        organisation,
                        templates[(Subject.MAN, Purpose.MESSAGES)],
                        given_on,
                        facilitator,
                        participant=man,
                    )
                )
        ManConsent.objects.bulk_create(men)
        context.count("consents", len(men))


def _record(model, organisation, template, given_on, by, **person):
    return model(
        organisation=organisation,
        template=template,
        given_on=given_on,
        how="in_person",
        valid_until=template.valid_until(given_on),
        recorded_by=by,
        **person,
    )
