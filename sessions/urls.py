from django.urls import path

from . import views

app_name = "group_sessions"

urlpatterns = [
    path("", views.index, name="index"),
    path("today/", views.today, name="today"),
    path("new/", views.group_create, name="group_create"),
    path("<uuid:public_id>/", views.group_detail, name="group"),
    path("<uuid:public_id>/allocate/", views.allocate, name="allocate"),
    path(
        "<uuid:public_id>/places/<int:enrolment_id>/move/",
        views.move_enrolment,
        name="move_enrolment",
    ),
    path("sessions/<uuid:public_id>/", views.session_register, name="register"),
    path("sessions/<uuid:public_id>/mark/", views.session_mark, name="mark"),
    path("sessions/<uuid:public_id>/note/", views.session_note, name="note"),
    path("sessions/<uuid:public_id>/all-present/", views.session_all_present, name="all_present"),
    path("sessions/<uuid:public_id>/cancel/", views.session_cancel, name="cancel"),
    path("sessions/<uuid:public_id>/move/", views.session_move, name="move"),
]
