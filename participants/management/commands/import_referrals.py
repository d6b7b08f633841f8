from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from dvpp.commands import AuditedCommand
from dvpp.management.commands._errors import command_error
from dvpp.models import Organisation
from participants.importing import import_file


class Command(AuditedCommand):
    help = (
        "Import referral history from a CSV or XLSX file (format: docs/import-referrals.md). "
        "Every row is checked first; with any problem nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; change nothing."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation “{options['organisation']}”.") from None
        try:
            with path.open("rb") as content:
                report = import_file(
                    organisation=organisation,
                    by=None,
                    name=path.name,
                    content=content,
                    size=path.stat().st_size,
                    dry_run=options["dry_run"],
                )
        except ValidationError as error:
            raise command_error(error) from None
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
            raise CommandError(f"{len(report.errors)} problem(s) found: nothing was imported.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
