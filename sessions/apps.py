from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupSessionsConfig(AppConfig):
    """Programmes, curriculum, groups, sessions, enrolments, attendance and reminders.

    The label is ``group_sessions`` because ``django.contrib.sessions`` owns ``sessions``.
    """

    name = "sessions"
    label = "group_sessions"
    verbose_name = _("Group programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dvpp import hooks

        from . import reminders

        hooks.outbox_kinds.register(reminders.outbox_kinds)
        hooks.outbox_still_wanted.register(reminders.still_wanted)
