from django.urls import path

from kechuang.cultivation import views

app_name = "cultivation"

urlpatterns = [
    path("cultivation/", views.overview, name="overview"),
    path("cultivation/evaluations/", views.EvaluationListView.as_view(), name="evaluation-list"),
    path("cultivation/evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("cultivation/evaluations/<int:pk>/report/", views.report, name="report"),
    path("cultivation/certificates/expiring/", views.CertificateListView.as_view(), name="certificates-expiring"),
    path("cultivation/enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("cultivation/enterprises/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("cultivation/enterprises/<int:pk>/profile/", views.profile_edit, name="profile-edit"),
    path("cultivation/enterprises/<int:pk>/figures/new/", views.figures_edit, name="figures-new"),
    path("cultivation/enterprises/<int:pk>/figures/<int:year>/", views.figures_edit, name="figures-edit"),
    path("cultivation/enterprises/<int:pk>/figures/check/", views.figures_check, name="figures-check"),
    path("cultivation/runs/", views.run_start, name="run-start"),
    path("cultivation/runs/<int:pk>/", views.run_step, name="run-step"),
    path("cultivation/import/", views.import_figures, name="import"),
    path("cultivation/import/template/", views.import_template, name="import-template"),
    path("self-assessment/", views.self_assessment, name="self-assessment"),
    path("self-assessment/template.xlsx", views.self_assessment_template, name="self-assessment-template"),
]
