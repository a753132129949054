from django.urls import path

from .views import closing, filing, follow_up, running

app_name = "training"

urlpatterns = [
    path("classes/", filing.class_list_view, name="class_list"),
    path("classes/new/", filing.class_create_view, name="class_create"),
    path("classes/<int:pk>/", filing.class_detail_view, name="class_detail"),
    path("classes/<int:pk>/edit/", filing.class_edit_view, name="class_edit"),
    path("classes/<int:pk>/roster/", filing.class_roster_view, name="class_roster"),
    path("classes/<int:pk>/timetable/", filing.class_timetable_view, name="class_timetable"),
    path("classes/<int:pk>/evidence/", filing.class_evidence_view, name="class_evidence"),
    path("classes/<int:pk>/timeline/", filing.class_timeline_view, name="class_timeline"),
    path("classes/<int:pk>/submit/", filing.class_submit_view, name="class_submit"),
    path("classes/<int:pk>/cancel/", filing.class_cancel_view, name="class_cancel"),
    path("classes/<int:pk>/review/", filing.class_review_view, name="class_review"),
    path("classes/<int:pk>/attendance/", running.class_attendance_view, name="class_attendance"),
    path("classes/<int:pk>/spot-checks/", running.class_spot_checks_view, name="class_spot_checks"),
    path("classes/<int:pk>/anomaly-scan/", running.class_anomaly_scan_view, name="class_anomaly_scan"),
    path("anomalies/", running.anomaly_queue_view, name="anomaly_queue"),
    path("anomalies/<int:pk>/resolve/", running.anomaly_resolve_view, name="anomaly_resolve"),
    path("devices/", running.device_list_view, name="device_list"),
    path("devices/<int:pk>/deactivate/", running.device_deactivate_view, name="device_deactivate"),
    path("evidence/<int:pk>/", filing.evidence_download_view, name="evidence_download"),
    path("review/", filing.review_queue_view, name="review_queue"),
    path("classes/<int:pk>/closing/", closing.class_closing_view, name="class_closing"),
    path("classes/<int:pk>/closing/assess/", closing.class_assess_view, name="class_assess"),
    path(
        "classes/<int:pk>/closing/request/", closing.class_closing_request_view, name="class_closing_request"
    ),
    path("classes/<int:pk>/closing/review/", closing.class_closing_review_view, name="class_closing_review"),
    path("certificates/<int:pk>/pdf/", closing.certificate_pdf_view, name="certificate_pdf"),
    path("number-ranges/", closing.number_range_list_view, name="number_ranges"),
    path("number-ranges/add/", closing.number_range_add_view, name="number_range_add"),
    path("number-ranges/request/", closing.number_range_request_view, name="number_range_request"),
    path("number-ranges/<int:pk>/decide/", closing.number_range_decide_view, name="number_range_decide"),
    path("classes/<int:pk>/follow-up/", follow_up.class_follow_up_view, name="class_follow_up"),
    path("kpi/", follow_up.kpi_view, name="kpi"),
    path("kpi/export.xlsx", follow_up.kpi_export_view, name="kpi_export"),
    path("list-proposals/", follow_up.list_proposals_view, name="list_proposals"),
    path("templates/roster.xlsx", filing.roster_template_view, name="roster_template"),
    path("templates/timetable.xlsx", filing.timetable_template_view, name="timetable_template"),
]
