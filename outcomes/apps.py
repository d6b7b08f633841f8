from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """Survey instruments, responses, outcome reports and dashboards."""

    name = "outcomes"
    verbose_name = _("Outcomes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import nightly

        hooks.outbox_kinds.register(nightly.outbox_kinds)
