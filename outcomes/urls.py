from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
]
