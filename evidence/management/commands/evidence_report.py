from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dvpp.models import Organisation
from evidence import exports, figures
from evidence.models import ComparisonCohort


class Command(BaseCommand):
    help = (
        "Print the “Did it work?” report (women's safety, men's change, re-offending and harm "
        "with a comparison group), or write it as CSV, XLSX or PDF. Suppression applies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--months", type=int, choices=figures.WINDOWS, default=12)
        parser.add_argument(
            "--comparison",
            default=figures.INTERNAL,
            help="“internal” (assessed suitable, did not start) or a comparison group's id.",
        )
        parser.add_argument("--language", choices=["en", "ru"], default="en")
        parser.add_argument("--format", choices=["text", "csv", "xlsx", "pdf"], default="text")
        parser.add_argument("--output", help="Write to this file instead of the screen.")

    def handle(self, *args, **options):
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation “{options['organisation']}”.") from None
        fmt = options["format"]
        if fmt in {"xlsx", "pdf"} and not options["output"]:
            raise CommandError(f"A {fmt.upper()} file needs --output.")
        with translation.override(options["language"]):
            try:
                report = figures.build(
                    organisation,
                    months=options["months"],
                    comparison=options["comparison"],
                )
            except (ValueError, ComparisonCohort.DoesNotExist):
                raise CommandError(
                    f"No comparison group “{options['comparison']}” in {organisation.slug}."
                ) from None
            if fmt == "text":
                body = exports.to_text(report).encode()
            else:
                body = getattr(exports, f"to_{fmt}")(report)
        if options["output"]:
            Path(options["output"]).write_bytes(body)
            self.stdout.write(f"Written: {options['output']}")
        else:
            self.stdout.write(body.decode("utf-8-sig"), ending="")
