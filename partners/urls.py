from django.urls import path

from consent.subject_pages import subject_urls
from dvpp import hooks

from . import views
from .data_subject import PARTNER

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
    # Her subject-access and erasure pages (consent.subject_pages), behind the wall.
    *subject_urls(PARTNER),
]
# Pages of the apps above under her record, named here (/partners/: never kept on sign-out):
# the incidents she reported, from evidence.
urlpatterns += hooks.urls.call_flat(namespace="partners")
