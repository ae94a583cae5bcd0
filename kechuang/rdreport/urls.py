from django.urls import path

from kechuang.rdreport import views

app_name = "rdreport"

urlpatterns = [
    path("rd/reports/", views.ReportListView.as_view(), name="report-list"),
    path("rd/reports/new/", views.report_new, name="report-new"),
    path("rd/reports/check/", views.report_check, name="report-check"),
    path("rd/reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("rd/reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("rd/reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("rd/reports/<int:pk>/review/<str:name>/", views.report_review, name="report-review"),
]
