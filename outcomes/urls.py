from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.<str:fmt>", views.export, name="export"),
    path("import/partner-surveys/", views.import_partner_surveys, name="import_partner_surveys"),
    path("import/men-surveys/", views.import_men_surveys, name="import_men_surveys"),
    path("partners/<uuid:public_id>/<slug:code>/", views.partner_survey, name="partner_survey"),
    path("men/<uuid:public_id>/<slug:code>/", views.man_survey, name="man_survey"),
]
