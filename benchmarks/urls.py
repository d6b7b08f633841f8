from django.urls import path

from dvpp.urls import urlpatterns as product

from . import views

urlpatterns = [path("benchmark/trivial/", views.trivial, name="benchmark_trivial"), *product]
