from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import lookups, reauth, two_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sms/status", views.sms_status, name="sms_status"),
    path("staff/", views.staff_list, name="staff_list"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_export, name="audit_log_export"),
    path("notifications/failed/", views.failed_notifications, name="failed_notifications"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/manage/", two_factor.manage, name="two_factor_manage"),
    path("accounts/confirm/", reauth.reauthenticate, name="reauthenticate"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/destruction/", include("participants.destruction_urls")),
    path("lists/", lookups.lookup_index, name="lookups"),
    path("lists/<slug:kind>/", lookups.lookup_list, name="lookup_list"),
    path("lists/<slug:kind>/<int:entry_id>/", lookups.lookup_entry, name="lookup_entry"),
    path("lists/<slug:kind>/<int:entry_id>/delete/", lookups.lookup_delete, name="lookup_delete"),
    path("cases/", include("participants.urls")),
    path("cases/<uuid:public_id>/consent/", include("consent.urls")),
    path("data-protection/", include("consent.lists")),
    path("groups/", include("sessions.urls")),
    path("partners/", include("partners.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("evidence/", include("evidence.urls")),
    path("coalition/", include("coalition.urls")),
    path("library/", include("library.urls")),
    path("admin/", admin.site.urls),
]
