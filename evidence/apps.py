from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence of change on the men's side: incidents after referral and the harm they did."""

    name = "evidence"
    verbose_name = _("Evidence of change")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import case_panels, counts, subject_access, urls

        # His incidents and change assessment, or the incidents she reported, in the package.
        hooks.subject_access_sections.register(subject_access.sections)
        # The page of the incidents she reported, under her record (partners:…).
        hooks.urls.register(urls.partner_urls)
        # His incidents (hers only as a count) and his change assessment on his case page.
        hooks.case_panels.register(case_panels.evidence_panel)
        # Its raw counts, kept with the night's outcome snapshot.
        hooks.snapshot_counts.register(counts.snapshot_counts)
