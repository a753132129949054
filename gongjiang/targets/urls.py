from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("drill/", views.drill_view, name="drill"),
    path("report.xlsx", views.monthly_report_view, name="monthly_report"),
    path("goals/", views.goal_list_view, name="goal_list"),
    path("tables/", views.table_list_view, name="table_list"),
    path("tables/edit/", views.table_edit_view, name="table_edit"),
    path("tables/import/", views.table_import_view, name="table_import"),
    path("templates/table.xlsx", views.table_template_view, name="table_template"),
    path("recipients/", views.recipient_list_view, name="recipient_list"),
    path("templates/recipients.xlsx", views.recipient_template_view, name="recipient_template"),
]
