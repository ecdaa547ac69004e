from django.urls import path

from zhaoshang.enterprises import evaluation_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("export.xlsx", views.EnterpriseExportView.as_view(), name="export"),
    path("new/", views.EnterpriseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="edit"),
    path("<int:pk>/returns/", views.ReturnAddView.as_view(), name="return_add"),
    path("<int:pk>/visits/", views.VisitAddView.as_view(), name="visit_add"),
    path("visits/", views.VisitListView.as_view(), name="visits"),
    path("visits/export.xlsx", views.VisitExportView.as_view(), name="visits_export"),
    path("evaluation/", evaluation_views.EvaluationView.as_view(), name="evaluation"),
    path("evaluation/export.xlsx", evaluation_views.EvaluationExportView.as_view(), name="evaluation_export"),
    path("returns/", views.ReturnListView.as_view(), name="returns"),
    path("returns/export.xlsx", views.ReturnExportView.as_view(), name="returns_export"),
    path("returns/import/", views.ReturnImportView.as_view(), name="import"),
    path("returns/import/template.xlsx", views.ReturnImportTemplateView.as_view(), name="import_template"),
    path("returns/<int:pk>/verify/", views.ReturnVerifyView.as_view(), name="return_verify"),
    path("returns/<int:pk>/return/", views.ReturnBackView.as_view(), name="return_back"),
    path("returns/<int:pk>/correct/", views.ReturnCorrectView.as_view(), name="return_correct"),
    path("returns/<int:pk>/withdraw/", views.ReturnWithdrawView.as_view(), name="return_withdraw"),
]
