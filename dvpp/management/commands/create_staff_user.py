import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dvpp.models import Organisation, Role, User
from dvpp.services import coalition_analyst_create, generate_password, staff_user_create

from ._errors import command_error

PASSWORD_VARIABLE = "STAFF_USER_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create a member of staff in an organisation with one role. The password is read from "
        f"${PASSWORD_VARIABLE} if set, otherwise asked for at the prompt; --generate-password "
        "makes one and shows it once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", help="The organisation's slug.")
        parser.add_argument(
            "--coalition", help="For a coalition analyst (no organisation): the coalition's slug."
        )
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(Role.values)}.")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--patronymic", default="")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Generate a strong password and print it once.",
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Never prompt."
        )

    def handle(self, *args, **options):
        if options["role"] not in Role.values:
            raise CommandError(
                f"Unknown role “{options['role']}”. Choose one of: {', '.join(Role.values)}."
            )
        analyst = options["role"] == Role.COALITION_ANALYST
        organisation = coalition = None
        if analyst:
            if options["organisation"] or not options["coalition"]:
                raise CommandError(
                    "A coalition analyst belongs to a coalition (--coalition) and to no "
                    "organisation. Nothing was created."
                )
            # The coalition app's model, reached through the user's field: the core never
            # imports the apps above it.
            coalitions = User._meta.get_field("coalition").related_model._default_manager
            coalition = coalitions.filter(slug=options["coalition"]).first()
            if coalition is None:
                raise CommandError(f"No coalition with the short name “{options['coalition']}”.")
        else:
            if options["coalition"] or not options["organisation"]:
                raise CommandError(
                    "A member of staff belongs to an organisation (--organisation); only a "
                    "coalition analyst takes --coalition. Nothing was created."
                )
            try:
                organisation = Organisation.objects.get(slug=options["organisation"])
            except Organisation.DoesNotExist:
                raise CommandError(
                    f"No organisation with the short name “{options['organisation']}”. "
                    "Create it first with create_organisation."
                ) from None

        generated = False
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password and options["generate_password"]:
            password, generated = generate_password(), True
        if not password:
            if not (options["interactive"] and sys.stdin.isatty()):
                raise CommandError(
                    f"No password: set {PASSWORD_VARIABLE}, pass --generate-password, "
                    "or run the command at a terminal."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords do not match. Nothing was created.")

        try:
            if analyst:
                user = coalition_analyst_create(
                    username=options["username"],
                    coalition=coalition,
                    password=password,
                    email=options["email"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                )
            else:
                user = staff_user_create(
                    username=options["username"],
                    organisation=organisation,
                    role=options["role"],
                    password=password,
                    email=options["email"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    patronymic=options["patronymic"],
                )
        except ValidationError as error:
            raise command_error(error) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {user.get_role_display()} “{user.username}” in "
                f"{organisation or coalition}."
            )
        )
        if generated:
            self.stdout.write(f"Password (shown once, not stored in clear): {password}")
