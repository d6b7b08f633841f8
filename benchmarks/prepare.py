"""Run inside Django against a benchmark database: enrol the benchmark's accounts in two-factor
sign-in with fresh random keys, and choose what the pages and the load test will open.

``python -m benchmarks.prepare [--load]`` prints JSON for the harness. ``--load`` also prepares
the load test: it gives every facilitator recent sessions to mark (their marks cleared first, so
that each mark the test sends must create exactly one row) and every partner support worker the
partners to record check-ins for.
"""

import argparse
import datetime
import json
import secrets
import sys
from urllib.parse import urlencode

import django

SESSIONS_PER_FACILITATOR = 2
PARTNERS_PER_WORKER = 20


def enrol(user) -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = secrets.token_hex(20)
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="benchmark", key=key, confirmed=True)
    return {"username": user.username, "key": key}


def first_organisation(country: str):
    from benchmarks.largedata import SLUG_PREFIX
    from dvpp.models import Organisation

    return (
        Organisation.objects.filter(slug__startswith=SLUG_PREFIX, country=country)
        .order_by("slug")
        .first()
    )


def staff(organisation, role):
    from dvpp.models import User

    return User.objects.filter(organisation=organisation, role=role).order_by("username")


def reached(partners):
    from partners.models import ContactAttempt

    return (
        partners.filter(
            attempts__outcome=ContactAttempt.Outcome.REACHED,
        )
        .distinct()
        .order_by("pk")
    )


def marked_session(organisation):
    """The latest session already held with a full register: what a facilitator reopens."""
    from django.utils import timezone

    from sessions.models import Session
    from sessions.selectors import register

    sessions = Session.objects.filter(
        group__organisation=organisation,
        status=Session.Status.SCHEDULED,
        date__lte=timezone.localdate(),
        attendance__isnull=False,
    ).order_by("-date", "-pk")
    for session in sessions.distinct()[:50]:
        men = [str(row.participant.public_id) for row in register(session)]
        if len(men) >= 3:
            return session, men
    raise SystemExit(f"No held session with a register in {organisation.slug}.")


def page_targets() -> dict:
    from django.utils import timezone

    from dvpp.models import Role
    from participants.models import Participant
    from partners.models import Partner

    english, russian = first_organisation("GB"), first_organisation("RU")
    session, men = marked_session(english)
    man = Participant.objects.filter(organisation=english).order_by("pk").first()
    ivanov = Participant.objects.filter(organisation=russian).order_by("pk").first()
    # A check-in needs a first contact with her: the partners a worker has reached.
    partner = reached(Partner.objects.filter(organisation=english)).first()
    # The dashboard narrowed as a manager would: one group's men, answered in one quarter.
    from outcomes.forms import FilterForm

    form = FilterForm(organisation=english)
    group = form.fields["group"].queryset.order_by("pk").first()
    quarter = form.fields["period"].choices[2][0]
    return {
        "accounts": {
            "manager": enrol(staff(english, Role.MANAGER).first()),
            "facilitator": enrol(staff(english, Role.FACILITATOR).first()),
            "iss": enrol(staff(english, Role.PARTNER_SUPPORT).first()),
            "ru-manager": enrol(staff(russian, Role.MANAGER).first()),
        },
        "man": str(man.public_id),
        "latin": man.last_name[:3],
        "cyrillic": ivanov.last_name[:3],
        "session": str(session.public_id),
        "register": men,
        "partner": str(partner.public_id),
        "today": timezone.localdate().isoformat(),
        "filters": urlencode(
            {"wave_from": "baseline", "wave_to": "exit", "period": quarter, "group": group.pk}
        ),
    }


def load_targets() -> dict:
    from django.utils import timezone

    from benchmarks.largedata import SLUG_PREFIX
    from dvpp.models import Organisation, Role
    from partners.models import Partner
    from sessions.models import Attendance, Session
    from sessions.selectors import register

    facilitators, workers, managers = [], [], []
    today = timezone.localdate()
    for organisation in Organisation.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"):
        people = list(staff(organisation, Role.FACILITATOR))
        held = Session.objects.filter(
            group__organisation=organisation,
            status=Session.Status.SCHEDULED,
            date__lte=today,
            date__gte=today - datetime.timedelta(days=365),
        ).order_by("-date", "-pk")
        chosen = []
        for session in held[: len(people) * SESSIONS_PER_FACILITATOR * 3]:
            men = [str(row.participant.public_id) for row in register(session)]
            if men:
                chosen.append((session, men))
            if len(chosen) == len(people) * SESSIONS_PER_FACILITATOR:
                break
        Attendance.objects.filter(session__in=[session for session, _men in chosen]).delete()
        for number, person in enumerate(people):
            mine = chosen[number :: len(people)]
            facilitators.append(
                {
                    **enrol(person),
                    "sessions": [{"id": str(s.public_id), "men": men} for s, men in mine],
                }
            )
        partners = [
            str(p)
            for p in reached(Partner.objects.filter(organisation=organisation)).values_list(
                "public_id", flat=True
            )
        ]
        for number, person in enumerate(staff(organisation, Role.PARTNER_SUPPORT)):
            start = number * PARTNERS_PER_WORKER
            workers.append(
                {**enrol(person), "partners": partners[start : start + PARTNERS_PER_WORKER]}
            )
        managers.extend(enrol(person) for person in staff(organisation, Role.MANAGER))
    return {
        "facilitators": facilitators,
        "workers": workers,
        "managers": managers,
        "today": today.isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--load", action="store_true")
    options = parser.parse_args()
    django.setup()
    json.dump(load_targets() if options.load else page_targets(), sys.stdout)


if __name__ == "__main__":
    main()
