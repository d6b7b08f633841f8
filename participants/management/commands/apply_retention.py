from dvpp.commands import AuditedCommand
from dvpp.models import Organisation
from participants.retention import retention_apply


class Command(AuditedCommand):
    help = (
        "Anonymise cases closed longer than each organisation's retention period. "
        "--dry-run lists them and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        verb = "would anonymise" if options["dry_run"] else "anonymised"
        for organisation in Organisation.objects.filter(is_active=True):
            references = retention_apply(organisation, dry_run=options["dry_run"])
            self.stdout.write(
                f"{organisation.slug}: {verb} {len(references)} case(s)"
                + (f": {', '.join(references)}" if references else "")
            )
