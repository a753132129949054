from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("trial/", views.trial, name="trial"),
    path("simulate/", views.simulate, name="simulate"),
]
