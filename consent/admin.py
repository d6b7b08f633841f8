from django.contrib import admin
from django.db import transaction
from django.db.models import Max

from dvpp.admin import OrganisationScopedAdmin

from .models import ConsentTemplate


@admin.register(ConsentTemplate)
class ConsentTemplateAdmin(OrganisationScopedAdmin):
    """Consent wording. Saving a change makes a new version: consents already given keep the
    version that was signed or read out."""

    list_display = ["title_en", "title_ru", "subject", "purpose", "version", "is_current"]
    list_filter = ["subject", "purpose", "is_current"]
    exclude = ["organisation", "is_current", "version"]
    readonly_fields = ["subject", "purpose"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_current=True)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # consents point at it; a new version replaces it

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.organisation_id = request.user.organisation_id
        latest = ConsentTemplate.objects.filter(
            organisation_id=obj.organisation_id, subject=obj.subject, purpose=obj.purpose
        )
        if change and form.changed_data:
            latest.filter(is_current=True).update(is_current=False)
            obj.pk = None
            obj._state.adding = True
        if not change or form.changed_data:
            obj.version = (latest.aggregate(Max("version"))["version__max"] or 0) + 1
            obj.is_current = True
            latest.filter(is_current=True).update(is_current=False)
            super(OrganisationScopedAdmin, self).save_model(request, obj, form, change)
