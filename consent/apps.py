from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    """Consent to the processing of personal data (152-FZ in Russia; the UK GDPR)."""

    name = "consent"
    verbose_name = _("Consent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import case_panels, subject_access, subject_pages

        # A person's consents, in their subject-access package.
        hooks.subject_access_sections.register(subject_access.sections)
        # His subject-access and erasure pages, under his case (participants:…).
        hooks.urls.register(subject_pages.case_urls)
        # His consents on his case page.
        hooks.case_panels.register(case_panels.consent_panel)
