"""Public pages of the training lifecycle, under /public/ (no log-in): certificate verification."""

from django.urls import path

from .views import closing

app_name = "training_public"

urlpatterns = [
    path("certificates/", closing.certificate_verify_view, name="certificate_verify"),
]
