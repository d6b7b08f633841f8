from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dvpp.admin import AuditedAdmin, OrganisationScopedAdmin

from .models import Group, Handout, Programme, Session, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["number", "title_en", "title_ru", "is_core"]
    # The session plans and handouts are edited on the theme's own page.
    show_change_link = True


class HandoutInline(admin.TabularInline):
    """A theme's handouts. Whoever may change the theme may change its handouts: they are part
    of it, as its plan is."""

    model = Handout
    extra = 1
    fields = ["title_en", "title_ru", "file"]

    def _may_change_theme(self, request) -> bool:
        return request.user.has_perm("group_sessions.change_theme")

    def has_view_permission(self, request, obj=None):
        return self._may_change_theme(request)

    def has_add_permission(self, request, obj=None):
        return self._may_change_theme(request)

    def has_change_permission(self, request, obj=None):
        return self._may_change_theme(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_change_theme(request)


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    """One week of a programme: its titles, description and session plan in both languages,
    and its handouts."""

    list_display = ["programme", "number", "title_en", "title_ru", "is_core"]
    list_select_related = ["programme"]
    search_fields = ["title_en", "title_ru"]
    readonly_fields = ["programme", "number"]
    fields = [
        "programme",
        "number",
        "title_en",
        "title_ru",
        "description_en",
        "description_ru",
        "plan_en",
        "plan_ru",
        "is_core",
    ]
    inlines = [HandoutInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(programme__organisation_id=request.user.organisation_id)

    def has_add_permission(self, request):
        return False  # a week is added on its programme's page

    def has_delete_permission(self, request, obj=None):
        return False  # sessions point at it


@admin.register(Programme)
class ProgrammeAdmin(OrganisationScopedAdmin):
    list_display = [
        "name_en",
        "name_ru",
        "session_count",
        "interval_days",
        "complete_within_days",
        "is_archived",
    ]
    search_fields = ["name_en", "name_ru"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_ru", "is_archived"]}),
        (_("Schedule"), {"fields": ["session_count", "interval_days", "session_minutes"]}),
        (
            _("Rules"),
            {
                "fields": [
                    "absence_review_after",
                    "completion_min_sessions",
                    "complete_within_days",
                    "missed_session_restarts",
                    "report_outcome_to_referrer",
                ]
            },
        ),
    ]
    inlines = [ThemeInline]

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: groups and sessions point at it


@admin.register(Group)
class GroupAdmin(OrganisationScopedAdmin):
    list_display = ["name", "programme", "weekday", "start_time", "capacity", "is_archived"]
    list_filter = ["is_archived", "intake"]
    search_fields = ["name", "venue"]
    readonly_fields = ["programme", "start_date", "weekday"]
    exclude = ["organisation"]

    def has_add_permission(self, request):
        return False  # groups are created on the Groups page, which makes their schedule

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["group", "date", "start_time", "theme", "status"]
    list_filter = ["status"]
    list_select_related = ["group", "theme"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(group__organisation_id=request.user.organisation_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # cancel and move sessions on the register page, where the rules apply

    def has_delete_permission(self, request, obj=None):
        return False
