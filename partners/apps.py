from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The Integrated Support Service: partners and ex-partners, behind the wall."""

    name = "partners"
    verbose_name = _("Partner support")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import digest, retention, services

        # Something on his side that puts her at risk: partner support is tasked to contact her.
        hooks.risk_event.register(services.risk_event)
        # His case has passed its retention period: her record is anonymised with it.
        hooks.retention.register(retention.anonymise)
        hooks.outbox_kinds.register(digest.outbox_kinds)
