from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence of change on the men's side: incidents after referral and the harm they did."""

    name = "evidence"
    verbose_name = _("Evidence of change")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import subject_access

        # His incidents and change assessment, or the incidents she reported, in the package.
        hooks.subject_access_sections.register(subject_access.sections)
