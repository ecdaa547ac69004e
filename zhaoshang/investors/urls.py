from django.urls import path

from zhaoshang.investors import import_views, views

app_name = "investors"

urlpatterns = [
    path("", views.InvestorListView.as_view(), name="list"),
    path("export.xlsx", views.InvestorExportView.as_view(), name="export"),
    path("new/", views.InvestorFormView.as_view(), name="create"),
    path("import/", import_views.InvestorImportView.as_view(), name="import"),
    path("import/template.xlsx", import_views.InvestorImportTemplateView.as_view(), name="import_template"),
    path("follow-ups/", views.FollowUpsView.as_view(), name="follow_ups"),
    path("double-claims/", views.DoubleClaimsView.as_view(), name="double_claims"),
    path("<int:pk>/", views.InvestorDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.InvestorFormView.as_view(), name="edit"),
    path("<int:pk>/merge/", views.InvestorMergeView.as_view(), name="merge"),
    path("options.json", views.InvestorOptionsView.as_view(), name="options"),
]
