"""The project's URLs plus one view that fails with case data in its local variables."""

from django.urls import path

from dvpp.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    secret_address = "12 Hidden Lane, Safe Town"  # noqa: F841 - must never reach the page
    raise RuntimeError("boom at 12 Hidden Lane")


urlpatterns = [*project_urlpatterns, path("boom/", failing_view)]
