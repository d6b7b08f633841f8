from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError

from coalition import services as coalitions
from coalition.models import Coalition
from dvpp.commands import AuditedCommand
from dvpp.management.commands._errors import command_error
from dvpp.models import Organisation


class Command(AuditedCommand):
    help = (
        "Coalitions and their members: create a coalition, have an organisation join or leave "
        "it, or record its consent to be shown by name. Every membership change is audited."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a coalition.")
        create.add_argument("name")
        create.add_argument("--slug", required=True)
        for name, text in (
            ("join", "An organisation joins."),
            ("leave", "An organisation leaves (today)."),
            ("name", "Record its consent to be shown by name (yes or no)."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("--coalition", required=True, help="The coalition's slug.")
            action.add_argument("--organisation", required=True, help="The organisation's slug.")
            if name == "join":
                action.add_argument("--named", action="store_true", help="It consents to its name.")
            if name == "name":
                action.add_argument("consent", choices=["yes", "no"])

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            try:
                coalition = coalitions.coalition_create(name=options["name"], slug=options["slug"])
            except IntegrityError:
                raise CommandError(f"A coalition “{options['slug']}” exists already.") from None
            self.stdout.write(self.style.SUCCESS(f"Created the coalition “{coalition}”."))
            return
        coalition = Coalition.objects.filter(slug=options["coalition"]).first()
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if coalition is None or organisation is None:
            raise CommandError("No such coalition or organisation. Nothing was changed.")
        try:
            if action == "join":
                coalitions.membership_join(
                    coalition=coalition, organisation=organisation, shown_by_name=options["named"]
                )
            else:
                membership = coalitions.current_membership(coalition, organisation)
                if membership is None:
                    raise CommandError(f"{organisation} is not a member of {coalition}.")
                if action == "leave":
                    coalitions.membership_leave(membership=membership)
                else:
                    coalitions.membership_set_named(
                        membership=membership, shown_by_name=options["consent"] == "yes"
                    )
        except ValidationError as error:
            raise command_error(error) from None
        self.stdout.write(self.style.SUCCESS(f"{organisation} · {coalition}: {action} done."))
