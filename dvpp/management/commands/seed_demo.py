from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from dvpp.commands import AuditedCommand
from dvpp.demo import (
    DEMO_ANALYST,
    DEMO_COALITION,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    ROLE_USERNAMES,
    seed_all,
)

from ._errors import command_error


class Command(AuditedCommand):
    help = (
        "Fill the database with synthetic demo data: organisations, one member of staff per "
        "role, and records for every feature. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a live service's database).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed for the fake data.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this may be a live service: seed_demo refuses to add demo "
                "data. Run it with DEBUG=1, or pass --force if this database is for demos only."
            )
        try:
            context = seed_all(seed=options["seed"])
        except ValidationError as error:
            raise command_error(error) from None
        created = ", ".join(f"{n} {what}" for what, n in sorted(context.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created or 'nothing new'})."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_ORGANISATIONS:
            users = ", ".join(f"{spec.username_prefix}-{name}" for name in ROLE_USERNAMES.values())
            self.stdout.write(f"  {spec.name}: {users}")
        self.stdout.write(f"  {DEMO_COALITION[1]} (its analyst): {DEMO_ANALYST}")
        self.stdout.write(
            "Two-factor code for a demo user: DEBUG=1 .venv/bin/python manage.py demo_code "
            "<username> "
            "(e.g. demo-manager)."
        )
