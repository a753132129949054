"""The public 供求信息 page, mounted under /public/ (no log-in)."""

from django.urls import path

from . import views

app_name = "talent_public"

urlpatterns = [
    path("", views.public_supply_demand_view, name="supply_demand"),
    path("supply-demand.xlsx", views.public_supply_demand_xlsx_view, name="supply_demand_xlsx"),
]
