from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("occupations/", views.occupation_list, name="occupation_list"),
    path("shortage/", views.shortage_list, name="shortage_list"),
    path("shortage/add/", views.shortage_add, name="shortage_add"),
    path("shortage/<int:pk>/end/", views.shortage_end, name="shortage_end"),
    path("import-export/", views.import_export, name="import_export"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]
