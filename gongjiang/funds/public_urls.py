"""The public notice pages, under /public/funds/ (no log-in)."""

from django.urls import path

from . import views

app_name = "funds_public"

urlpatterns = [
    path("notices/", views.public_notice_list_view, name="notice_list"),
    path("notices/<int:pk>/", views.public_notice_view, name="notice_detail"),
]
