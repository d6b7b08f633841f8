from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    """Referrals, the men on the programme, assessments and case notes."""

    name = "participants"
    verbose_name = _("Participants")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import audit, defaults, outbox

        hooks.outbox_still_wanted.register(outbox.still_wanted)
        hooks.lookup_lists.register(defaults.lookup_lists)
        hooks.audit_subject.register(audit.audit_subject)
