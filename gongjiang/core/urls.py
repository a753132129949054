from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
]
