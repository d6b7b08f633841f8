from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence of change on the men's side: incidents after referral and the harm they did."""

    name = "evidence"
    verbose_name = _("Evidence of change")
    default_auto_field = "django.db.models.BigAutoField"
