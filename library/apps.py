from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """Programme packages: a programme's curriculum, handouts, surveys and rules, published to a
    coalition as versioned, case-free snapshots and imported by its members as copies."""

    name = "library"
    verbose_name = _("Programme library")
    default_auto_field = "django.db.models.BigAutoField"
