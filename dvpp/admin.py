"""The admin site, for administrators: organisations, staff accounts and roles.

An administrator who is not an installation superuser sees and edits only their own
organisation and its staff; case content is not part of admin work.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import scope_to_organisation
from .audit import audit_record
from .models import AuditEvent, ClosureDate, Organisation, Role, User
from .reauth import require_recent_authentication
from .services import user_set_role
from .two_factor import reset_second_factor

# django-otp registers its devices in the admin; their secrets are nobody's business there.
# Administrators reset a user's second factor with the action on the user list instead.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.site_header = _("DVPP case management: administration")
admin.site.site_title = _("DVPP administration")
admin.site.index_title = _("Administration")


def _changed_fields(message) -> str:
    """The names of the fields an admin change touched, never their values."""
    fields = []
    for part in message if isinstance(message, list) else []:
        for detail in part.values():
            if isinstance(detail, dict):
                fields += [str(name) for name in detail.get("fields", [])]
    return "admin: " + (", ".join(fields) or "change")


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made in the admin site goes to the audit log too (by id:
    the admin's own history keeps the record's name, the audit log never does). With
    ``audit_reads``, opening a record counts as a read of it as well."""

    audit_reads = False

    def log_addition(self, request, obj, message):
        audit_record(request, AuditEvent.Action.CREATE, obj, what="admin")
        return super().log_addition(request, obj, message)

    def construct_change_message(self, request, form, formsets, add=False):
        # The changed fields by name ("role"), for the log to word in the reader's language.
        request.audit_changed_fields = list(form.changed_data)
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        fields = getattr(request, "audit_changed_fields", [])
        audit_record(
            request,
            AuditEvent.Action.CHANGE,
            obj,
            what=_changed_fields(message),
            params={"fields": fields} if fields else None,
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(request, AuditEvent.Action.DELETE, obj, what="admin")
        return super().log_deletions(request, queryset)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if self.audit_reads and object_id and request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and response.status_code == 200:
                audit_record(request, AuditEvent.Action.VIEW, obj, what="admin")
        return response


class OrganisationScopedAdmin(AuditedAdmin):
    """Admin for a model with an ``organisation``: an administrator sees and writes only their
    own organisation's rows, and every organisation-bound choice is limited to it."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scope_to_organisation(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            related = db_field.related_model
            if related is Organisation:
                kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
            elif any(f.name == "organisation" for f in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(
                    organisation_id=request.user.organisation_id
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.organisation_id = request.user.organisation_id
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "slug", "country", "time_zone", "default_language", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=request.user.organisation_id)

    def get_readonly_fields(self, request, obj=None):
        # The short name is used by commands and integrations; only superusers change it.
        return [] if request.user.is_superuser else ["slug"]


@admin.register(ClosureDate)
class ClosureDateAdmin(OrganisationScopedAdmin):
    list_display = ["date", "kind", "name_en", "name_ru"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    exclude = ["organisation"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "first_name", "last_name", "patronymic", "email"]
    list_select_related = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Name and contact"), {"fields": ("last_name", "first_name", "patronymic", "email")}),
        (_("Organisation and role"), {"fields": ("organisation", "role", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *fieldsets,
        (_("Coalition analysts only"), {"fields": ("coalition",)}),
        (_("Installation permissions"), {"fields": ("is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "organisation", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_two_factor"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            # Nobody gives themselves another role (say, partner support: through the wall).
            fields += ["role", "organisation", "is_active"]
        return fields

    @admin.action(description=_("Reset two-factor sign-in of the selected users"))
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            reset_second_factor(request, user)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d user: they set it up again at their "
                "next sign-in. Give them a new password too if their phone may be in other hands.",
                "Two-factor sign-in was reset for %(count)d users: they set it up again at their "
                "next sign-in. Give them a new password too if their phones may be in other hands.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )

    # User management asks for the password (or a code) again, as exports do.
    def changelist_view(self, request, extra_context=None):
        return require_recent_authentication(request) or super().changelist_view(
            request, extra_context
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return require_recent_authentication(request) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        return require_recent_authentication(request) or super().delete_view(
            request, object_id, extra_context
        )

    def user_change_password(self, request, id, form_url=""):
        return require_recent_authentication(request) or super().user_change_password(
            request, id, form_url
        )

    superuser_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "organisation",
                    "coalition",
                    "role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return self.superuser_fieldsets if obj is not None else self.superuser_add_fieldsets
        return super().get_fieldsets(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            # An organisation's administrator makes its staff; a coalition's analysts are made
            # by the installation's administrators.
            kwargs["choices"] = [
                choice for choice in db_field.get_choices() if choice[0] != Role.COALITION_ANALYST
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scope_to_organisation(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # A forged organisation id in the form cannot move a user to another organisation.
            obj.organisation_id = request.user.organisation_id
        super().save_model(request, obj, form, change)
        if obj.role:
            user_set_role(user=obj, role=Role(obj.role))
