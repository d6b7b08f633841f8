"""Large synthetic data for benchmarks, in a fresh database (see docs/benchmarks.md)::

    DEBUG=1 python -m benchmarks.seed_large --size tiny|small|large [--seed N] [--force]

Not a manage.py command: benchmark seeding is not part of the installed application. Runs with
the settings of DJANGO_SETTINGS_MODULE (by default dvpp.settings)."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# The models are imported once Django is set up (main() sets it up when run as a module).


class Command(BaseCommand):
    help = (
        "Fill a fresh database with large synthetic data for benchmarks: about 20 organisations, "
        "20,000 men, 400,000 attendance marks, 150,000 check-ins (--size large); a tenth of it "
        "with --size small, a hundredth with --size tiny. Refuses when it already exists."
    )

    def add_arguments(self, parser):
        from benchmarks.largedata import SIZES

        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026, help="Seed for the fake data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a live service's database).",
        )

    def handle(self, *args, **options):
        from benchmarks.largedata import build
        from dvpp.management.commands._errors import command_error
        from dvpp.services import generate_password

        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this may be a live service: seed_large refuses to add synthetic "
                "data. Run it with DEBUG=1, or pass --force if this database is for benchmarks."
            )
        password = os.environ.get("LARGE_DATA_PASSWORD") or generate_password()
        try:
            result = build(size=options["size"], seed=options["seed"], password=password)
        except ValidationError as error:
            raise command_error(error) from None
        if connection.vendor == "postgresql":
            # Fresh statistics: until autovacuum gets to it, the planner would take these
            # tables for empty and choose plans that take seconds on the large size.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Large synthetic data ({options['size']}, seed {options['seed']}) built in "
                f"{result.seconds:.1f} s:"
            )
        )
        for what, number in result.counts.items():
            self.stdout.write(f"  {number:>9,} {what}")
        if not os.environ.get("LARGE_DATA_PASSWORD"):
            self.stdout.write(f"Password of every large-data user (shown once): {password}")
        self.stdout.write(
            "Users: large-NN-manager-1, large-NN-facilitator-1..4, large-NN-iss-1..2."
        )


def main(argv: list[str] | None = None) -> None:
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvpp.settings")
    django.setup()
    arguments = sys.argv[1:] if argv is None else argv
    Command().run_from_argv(["python -m", "benchmarks.seed_large", *arguments])


if __name__ == "__main__":
    main()
