"""Coalitions and memberships in the admin site: superusers make coalitions and memberships;
an organisation's administrator sees its own memberships, consents to be named, and may leave."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from dvpp.access import scope_to_organisation
from dvpp.admin import AuditedAdmin
from dvpp.audit import audit_event
from dvpp.models import AuditEvent

from .models import Coalition, Membership


@admin.register(Coalition)
class CoalitionAdmin(AuditedAdmin):
    """Coalitions are made by the installation's administrators (superusers)."""

    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Who is in which coalition. Superusers add and end memberships; an organisation's
    administrator sees its own, gives or withdraws consent to be named, and may leave. Each
    change is audited under the member organisation too, so its managers see it."""

    list_display = ["organisation", "coalition", "joined_on", "left_on", "shown_by_name"]
    list_filter = [("coalition", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation", "coalition"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scope_to_organisation(queryset, request.user)

    actions = ["leave_today"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        # Leaving is the action below (today, checked and audited), never a typed date.
        return ["coalition", "organisation", "joined_on", "left_on"]

    @admin.action(description=_("Leave the coalition today"))
    def leave_today(self, request, queryset):
        from django.core.exceptions import ValidationError

        from .services import membership_leave

        for membership in queryset:
            try:
                membership_leave(membership=membership, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # a membership ends (left on), so old figures keep their meaning

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = ", ".join(sorted(form.changed_data)) if change else "joined"
        audit_event(
            request,
            AuditEvent.Action.CHANGE if change else AuditEvent.Action.CREATE,
            "dvpp.membership",
            obj.pk,
            what=f"coalition {obj.coalition_id}: {fields}"[:100],
            organisation_id=obj.organisation_id,
        )
