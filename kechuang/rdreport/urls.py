from django.urls import path

from kechuang.rdreport import views, views_staff

app_name = "rdreport"

urlpatterns = [
    path("rd/reports/", views.ReportListView.as_view(), name="report-list"),
    path("rd/reports/new/", views.report_new, name="report-new"),
    path("rd/reports/check/", views.report_check, name="report-check"),
    path("rd/reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("rd/reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("rd/reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("rd/reports/<int:pk>/review/<str:name>/", views.report_review, name="report-review"),
    path("rd/reports/<int:pk>/comments/<int:comment_pk>/reply/", views.comment_reply, name="comment-reply"),
]

urlpatterns += [
    path("rd/", views_staff.dashboard_page, name="dashboard"),
    path("rd/import/", views_staff.import_reports, name="import"),
    path("rd/import/template/", views_staff.import_template, name="import-template"),
    path("rd/export/", views_staff.export_delivered, name="export"),
    path("rd/targets/", views_staff.targets_page, name="targets"),
    path("rd/targets/<int:pk>/", views_staff.target_edit, name="target-edit"),
    path("rd/aggregates/", views_staff.aggregates_page, name="aggregates"),
    path("rd/gdp/", views_staff.gdp_page, name="gdp"),
]
