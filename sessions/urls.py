from django.urls import path

from . import views

app_name = "group_sessions"

urlpatterns = [
    path("", views.index, name="index"),
]
