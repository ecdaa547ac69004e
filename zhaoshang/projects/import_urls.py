from django.urls import path

from zhaoshang.projects import import_views

# Included inside app_name "projects" by projects/urls.py.
urlpatterns = [
    path("import/", import_views.ProjectImportView.as_view(), name="import"),
    path("import/template.xlsx", import_views.ProjectImportTemplateView.as_view(), name="import_template"),
]
