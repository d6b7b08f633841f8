from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from dvpp.models import Organisation
from dvpp.services import organisation_create

from ._errors import command_error


class Command(BaseCommand):
    help = "Create an organisation (a provider such as a crisis centre)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The organisation's full name.")
        parser.add_argument(
            "--slug", default="", help="Short name; made from the name if left out."
        )
        parser.add_argument(
            "--country", default=Organisation.Country.GB, choices=Organisation.Country.values
        )
        parser.add_argument("--time-zone", default="", help="e.g. Asia/Yekaterinburg")
        parser.add_argument("--language", default="", choices=["", "en", "ru"])

    def handle(self, *args, **options):
        try:
            organisation = organisation_create(
                name=options["name"],
                slug=options["slug"],
                country=options["country"],
                time_zone=options["time_zone"],
                default_language=options["language"],
            )
        except ValidationError as error:
            raise command_error(error) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created organisation “{organisation}” ({organisation.slug}).")
        )
