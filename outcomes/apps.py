from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """Survey instruments, responses, outcome reports and dashboards."""

    name = "outcomes"
    verbose_name = _("Outcomes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import erasure, nightly, retention, subject_access

        # A person's surveys: in their subject-access package, cleared at erasure and retention.
        hooks.subject_access_sections.register(subject_access.sections)
        hooks.erasure.register(erasure.erase)
        hooks.retention.register(retention.anonymise)
        hooks.outbox_kinds.register(nightly.outbox_kinds)
