from django.contrib import admin

from dvpp.admin import OrganisationScopedAdmin

from .models import IncidentCategory


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(OrganisationScopedAdmin):
    """Administrators set each category's harm weight (an entry in use is archived)."""

    list_display = ["label_en", "label_ru", "code", "harm_weight", "is_archived"]
    list_filter = ["is_archived"]
    exclude = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        return False
