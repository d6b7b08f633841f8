from django.urls import path

from dvpp import hooks

from . import views

app_name = "participants"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.intake, name="intake"),
    path("import/", views.import_referrals, name="import"),
    path("flags/", views.risk_flags, name="risk_flags"),
    path("tasks/", views.open_tasks, name="tasks"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/status/", views.change_status, name="change_status"),
    path("<uuid:public_id>/risk/", views.set_risk, name="set_risk"),
    path("<uuid:public_id>/referrals/new/", views.add_referral, name="add_referral"),
    path(
        "<uuid:public_id>/assessment/appointments/", views.add_appointment, name="add_appointment"
    ),
    path("<uuid:public_id>/assessment/outcome/", views.decide_assessment, name="decide_assessment"),
    path("<uuid:public_id>/notes/", views.add_note, name="add_note"),
    path("<uuid:public_id>/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path(
        "<uuid:public_id>/flags/<int:flag_id>/acknowledge/",
        views.acknowledge_flag,
        name="acknowledge_flag",
    ),
]
# Pages of the apps above under his case, named here (his subject-access and erasure pages from
# consent, the progress report from sessions).
urlpatterns += hooks.urls.call_flat(namespace="participants")
