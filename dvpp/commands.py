"""A base for management commands that change records: what they change is recorded in the
audit log as made by the command (``command:<name>``), with the member of staff it acts for
when it has one (``by``)."""

from django.core.management.base import BaseCommand

from .origin import origin


class AuditedCommand(BaseCommand):
    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with origin(f"command:{name}"):
            return super().execute(*args, **options)
