from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DvppConfig(AppConfig):
    name = "dvpp"
    verbose_name = _("Organisations and staff")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import sync_role_groups_after_migrate

        # Groups mirror the role table in dvpp/roles.py after every migrate, so a permission added
        # to a role in code reaches existing installations without a hand-written data migration.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="dvpp.sync_role_groups")

        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .audit import record_sign_in, record_sign_in_failure
        from .middleware import mark_session_start

        user_logged_in.connect(mark_session_start, dispatch_uid="dvpp.mark_session_start")
        # Sign-ins and failed sign-ins go to the audit log, whichever page they came through.
        user_logged_in.connect(record_sign_in, dispatch_uid="dvpp.audit_sign_in")
        user_login_failed.connect(record_sign_in_failure, dispatch_uid="dvpp.audit_sign_in_failed")

        from axes.signals import user_locked_out

        from .audit import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="dvpp.audit_lockout")
