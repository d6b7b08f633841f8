import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dvpp.models import Organisation
from outcomes import figures
from outcomes.exports import safe_cell, table_rows


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Print the paired before/after table the dashboard shows (suppression applied)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--survey", default="partner-safety")
        parser.add_argument("--before", default="baseline")
        parser.add_argument("--after", default="exit")
        parser.add_argument("--from", dest="period_from", type=_date)
        parser.add_argument("--to", dest="period_to", type=_date)
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--language", choices=["en", "ru"], default="en")

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            self._handle(**options)

    def _handle(self, **options):
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation “{options['organisation']}”.") from None
        error = figures.wave_order_error(options["before"], options["after"])
        if error:
            raise CommandError(error)
        rows = figures.paired_table(
            organisation,
            figures.Filters(
                instrument_code=options["survey"],
                wave_from=options["before"],
                wave_to=options["after"],
                period_from=options["period_from"],
                period_to=options["period_to"],
            ),
        )
        if options["format"] == "json":
            public = []
            for row in figures.as_dict(rows):
                row.pop("counts")
                if row["suppressed"]:
                    row["n"] = None  # a suppressed row says nothing about its people
                public.append(row)
            self.stdout.write(json.dumps(public, ensure_ascii=False, indent=2))
        else:
            writer = csv.writer(self.stdout)
            for line in table_rows(rows):
                writer.writerow([safe_cell(cell) for cell in line])
