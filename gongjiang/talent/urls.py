from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("", views.round_list_view, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail_view, name="round_detail"),
    path("rounds/<int:pk>/close/", views.round_close_view, name="round_close"),
    path("rounds/<int:pk>/template.xlsx", views.import_template_view, name="import_template"),
    path("rounds/<int:pk>/form/", views.response_form_view, name="response_form"),
    path("rounds/<int:pk>/supply-demand/", views.supply_demand_view, name="supply_demand"),
    path("rounds/<int:pk>/supply-demand.xlsx", views.supply_demand_xlsx_view, name="supply_demand_xlsx"),
    path("rounds/<int:pk>/propose/", views.proposal_create_view, name="proposal_create"),
    path("proposals/<int:pk>/decide/", views.proposal_decide_view, name="proposal_decide"),
    path("talents/", views.talent_list_view, name="talent_list"),
    path("talents/export.xlsx", views.talent_export_view, name="talent_export"),
    path("records/", views.record_list_view, name="record_list"),
    # entry pages (bureau admins): the kind is fixed per route, so each is its own access-matrix row
    *(
        path(f"records/{segment}/new/", views.record_entry_view, {"kind": kind}, name=f"{kind}_create")
        for segment, kind in (
            ("competitions", "competition"),
            ("results", "competition_result"),
            ("studios", "studio"),
            ("assessments", "studio_assessment"),
            ("titles", "title"),
            ("platforms", "platform"),
        )
    ),
    path("records/pick/people/", views.pick_view, {"pick": "person"}, name="person_pick"),
    path("records/pick/enterprises/", views.pick_view, {"pick": "enterprise"}, name="enterprise_pick"),
]
