from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.application_list_view, name="application_list"),
    path("applications/<int:pk>/", views.application_detail_view, name="application_detail"),
    path("applications/<int:pk>/<str:action>/", views.application_action_view, name="application_action"),
    path("apply-for-class/", views.apply_for_class_view, name="apply_for_class"),
    path("lines/<int:pk>/review/", views.line_review_view, name="line_review"),
    path("notices/<int:pk>/", views.notice_detail_view, name="notice_detail"),
    path("notices/<int:pk>/<str:action>/", views.notice_action_view, name="notice_action"),
    path("review-queue/", views.review_queue_view, name="review_queue"),
    path("payment-queue/", views.payment_queue_view, name="payment_queue"),
    path("batches/", views.batch_list_view, name="batch_list"),
    path("batches/new/", views.batch_new_view, name="batch_new"),
    path("batches/<int:pk>/", views.batch_detail_view, name="batch_detail"),
    path("batches/<int:pk>/<str:action>/", views.batch_action_view, name="batch_action"),
    path("report/", views.report_view, name="report"),
    # 发起资金申请 from a talent record (/talent/records/): one route per kind of record.
    *[
        path(
            f"apply-from-record/{kind}/<int:pk>/",
            views.apply_from_record_view,
            {"kind": kind},
            name=f"apply_from_{kind}",
        )
        for kind in ("competition_result", "studio", "title", "platform")
    ],
    path("report.xlsx", views.report_xlsx_view, name="report_xlsx"),
]
