from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.<str:fmt>", views.export, name="export"),
    path("comparison-groups/new/", views.add_comparison, name="add_comparison"),
    path("incidents/import/", views.import_incidents, name="import_incidents"),
    path("cases/<uuid:public_id>/incidents/", views.add_incident, name="add_incident"),
    path("cases/<uuid:public_id>/change/", views.change_assessment, name="change_assessment"),
]


def partner_urls(*, namespace: str) -> list:
    """The receiver of ``hooks.urls``: under her record (``partners:add_reported_incident``,
    /partners/: behind the wall, never kept on sign-out), the incidents she reported."""
    if namespace != "partners":
        return []
    return [
        path(
            "<uuid:public_id>/incidents/",
            views.add_reported_incident,
            name="add_reported_incident",
        )
    ]
