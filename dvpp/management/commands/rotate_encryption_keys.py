from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from dvpp.crypto import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS. Put the "
        "new key first (keeping the old ones after it), run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            count = 0
            with transaction.atomic():
                for row in model._base_manager.only("pk", *fields).iterator(chunk_size=500):
                    # Reading decrypts with whichever key fits; writing encrypts with the first.
                    model._base_manager.filter(pk=row.pk).update(
                        **{name: getattr(row, name) for name in fields}
                    )
                    count += 1
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows under the first key."))
