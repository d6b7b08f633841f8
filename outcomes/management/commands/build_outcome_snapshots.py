from dvpp.commands import AuditedCommand
from dvpp.models import Organisation
from outcomes.services import snapshot_build


class Command(AuditedCommand):
    help = "Build tonight's outcome snapshot for every active organisation (safe to run twice)."

    def handle(self, *args, **options):
        for organisation in Organisation.objects.filter(is_active=True):
            snapshot, created = snapshot_build(organisation=organisation)
            state = "built" if created else "already there"
            self.stdout.write(
                f"{organisation.slug}: {snapshot.taken_on} {state} "
                f"({snapshot.responses} responses, hash {snapshot.source_hash[:12]})"
            )
