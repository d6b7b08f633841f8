from django.contrib import admin

from dvpp.admin import OrganisationScopedAdmin

from .models import ChangeInstrument, ComparisonCohort, IncidentCategory


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(OrganisationScopedAdmin):
    """Administrators set each category's harm weight (an entry in use is archived)."""

    list_display = ["label_en", "label_ru", "code", "harm_weight", "is_archived"]
    list_filter = ["is_archived"]
    exclude = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeInstrument)
class ChangeInstrumentAdmin(OrganisationScopedAdmin):
    """The change assessment as data: a new version is a new row; assessments keep theirs."""

    list_display = ["name_en", "name_ru", "version", "is_current"]
    exclude = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ComparisonCohort)
class ComparisonCohortAdmin(OrganisationScopedAdmin):
    """Comparison groups managers entered: correct a typing error, or remove one."""

    list_display = ["name", "source", "window_months", "men", "randomised", "created_at"]
    exclude = ["organisation", "created_by"]
