from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The Integrated Support Service: partners and ex-partners, behind the wall."""

    name = "partners"
    verbose_name = _("Partner support")
    default_auto_field = "django.db.models.BigAutoField"
