"""The pages of the record-destruction log, under /audit/destruction/ (dvpp/urls.py includes
them by name, so the core imports no app). No namespace: the URL names stay as they were."""

from django.urls import path

from . import destruction

urlpatterns = [
    path("", destruction.destruction_list, name="destruction_list"),
    path("<int:record_id>/", destruction.destruction_act, name="destruction_act"),
]
