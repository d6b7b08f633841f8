from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("publish/", views.publish, name="publish"),
    path("upload/", views.upload, name="upload"),
    path("packages/<uuid:key>/v<int:version>/", views.package_detail, name="package"),
    path("packages/<uuid:key>/v<int:version>/import/", views.import_package, name="import"),
    path("packages/<uuid:key>/v<int:version>/download/", views.download, name="download"),
    path("handouts/<int:handout_id>/", views.handout, name="handout"),
]
