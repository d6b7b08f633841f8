from django.urls import path

from evidence import views as evidence_views

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/contact/", views.add_attempt, name="add_attempt"),
    path("<uuid:public_id>/risk/", views.assess_risk, name="assess_risk"),
    path("<uuid:public_id>/plan/", views.save_plan, name="save_plan"),
    path("<uuid:public_id>/checkins/", views.add_checkin, name="add_checkin"),
    path("<uuid:public_id>/marac/<int:referral_id>/", views.update_marac, name="update_marac"),
    path("<uuid:public_id>/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("<uuid:public_id>/consent/", views.add_consent, name="add_consent"),
    path(
        "<uuid:public_id>/consent/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path(
        "<uuid:public_id>/consent/print/<int:template_id>/",
        views.print_consent,
        name="print_consent",
    ),
    path("<uuid:public_id>/subject-access/", views.subject_access, name="subject_access"),
    path("<uuid:public_id>/subject-access/requests/", views.log_request, name="log_request"),
    path("<uuid:public_id>/erase/", views.erase, name="erase"),
    # Incidents she reported, recorded behind the wall (/partners/: never kept on sign-out).
    path(
        "<uuid:public_id>/incidents/",
        evidence_views.add_reported_incident,
        name="add_reported_incident",
    ),
]
