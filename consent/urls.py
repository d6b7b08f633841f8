from django.urls import path

from . import views

app_name = "consent"

# Mounted under a man's case: /cases/<public_id>/consent/…
urlpatterns = [
    path("", views.add, name="add"),
    path("<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("print/<int:template_id>/", views.print_form, name="print"),
]
