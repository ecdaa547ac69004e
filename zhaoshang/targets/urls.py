from django.urls import path

from zhaoshang.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.TargetIndexView.as_view(), name="index"),
    path("<int:pk>/<int:year>/", views.TargetGridView.as_view(), name="grid"),
    path("<int:pk>/<int:year>/unit/", views.UnitTargetsView.as_view(), name="unit"),
    path("<int:pk>/<int:year>/copy/", views.CopyFromLastYearView.as_view(), name="copy"),
    path("<int:pk>/<int:year>/export.xlsx", views.GridExportView.as_view(), name="export"),
    path("<int:pk>/<int:year>/import/", views.GridImportView.as_view(), name="import"),
    path("<int:pk>/<int:year>/template.xlsx", views.GridTemplateView.as_view(), name="import_template"),
    path("<int:pk>/<int:year>/agreement.docx", views.AgreementView.as_view(), name="agreement"),
    path("<int:pk>/<int:year>/agreements.zip", views.AgreementsZipView.as_view(), name="agreements"),
]
