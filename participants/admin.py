"""Case records in the admin site: for administrators, scoped to their organisation.

Status moves, notes and referrals are made through the case pages, where the workflow rules
apply; here records are searchable and mostly read-only.
"""

from django.contrib import admin

from dvpp.admin import OrganisationScopedAdmin
from dvpp.search import normalise

from .models import (
    Assessment,
    CaseNote,
    CaseNoteCategory,
    Participant,
    Referral,
    ReferralSource,
    StatusChange,
)


class LookupAdmin(OrganisationScopedAdmin):
    list_display = ["label_en", "label_ru", "code", "position", "is_archived"]
    list_filter = ["is_archived"]
    search_fields = ["label_en", "label_ru", "code"]
    exclude = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: records keep pointing at the entry


admin.site.register(ReferralSource, LookupAdmin)
admin.site.register(CaseNoteCategory, LookupAdmin)


class ReferralInline(admin.TabularInline):
    model = Referral
    extra = 0
    fields = ["received_on", "source", "referrer_organisation", "is_statutory", "order_end_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(OrganisationScopedAdmin):
    audit_reads = True  # case content: opening a record is a read of it
    list_display = ["reference", "last_name", "first_name", "date_of_birth", "status", "risk_level"]
    list_filter = ["status", "risk_level"]
    search_fields = ["reference", "search_text"]
    readonly_fields = ["reference", "status", "status_changed_at", "organisation", "created_at"]
    exclude = ["search_text", "created_by"]
    inlines = [ReferralInline, StatusChangeInline]
    list_select_related = ["organisation"]

    def get_search_results(self, request, queryset, search_term):
        # search_text is stored normalised (lower case, ё as е): search it the same way.
        return super().get_search_results(request, queryset, normalise(search_term))

    def has_add_permission(self, request):
        return False  # cases are opened by a referral intake, which records the status history

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(OrganisationScopedAdmin):
    audit_reads = True  # case content: opening a record is a read of it
    list_display = ["participant", "source", "received_on", "is_statutory"]
    list_filter = ["is_statutory", ("source", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["participant__search_text", "referrer_organisation", "referrer_name"]
    list_select_related = ["participant", "source"]
    readonly_fields = ["participant", "organisation", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseNote)
class CaseNoteAdmin(OrganisationScopedAdmin):
    audit_reads = True  # case content: opening a record is a read of it
    list_display = ["participant", "category", "author", "created_at"]
    search_fields = ["participant__search_text", "text"]
    list_select_related = ["participant", "category", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # notes are immutable

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(OrganisationScopedAdmin):
    audit_reads = True  # case content: opening a record is a read of it
    list_display = ["participant", "outcome", "risk_level", "decided_on"]
    list_filter = ["outcome", "risk_level"]
    search_fields = ["participant__search_text"]
    list_select_related = ["participant"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
