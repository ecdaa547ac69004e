from django.urls import path

from zhaoshang.units import import_views

# Included inside app_name "units" by units/urls.py.
urlpatterns = [
    path("import/", import_views.UnitImportView.as_view(), name="import"),
    path("import/template.xlsx", import_views.UnitImportTemplateView.as_view(), name="import_template"),
]
