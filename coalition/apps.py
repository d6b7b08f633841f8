from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    """A coalition's anonymous figures across its member organisations, for its analysts."""

    name = "coalition"
    verbose_name = _("Coalition")
    default_auto_field = "django.db.models.BigAutoField"
