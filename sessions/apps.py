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

        from . import case_pages, erasure, reminders, subject_access

        # What a man's subject-access package and his erasure hold of the group programme.
        hooks.subject_access_sections.register(subject_access.sections)
        hooks.erasure.register(erasure.erase)
        # His progress on his case page, the end of his programme, and the progress report.
        hooks.case_panels.register(case_pages.progress_panel)
        hooks.case_task_done.register(case_pages.end_of_programme)
        hooks.urls.register(case_pages.case_urls)
        hooks.outbox_kinds.register(reminders.outbox_kinds)
        hooks.outbox_still_wanted.register(reminders.still_wanted)
