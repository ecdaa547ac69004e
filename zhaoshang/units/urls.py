from django.urls import include, path

from zhaoshang.units import views

app_name = "units"

urlpatterns = [
    path("", views.UnitListView.as_view(), name="list"),
    path("export.xlsx", views.UnitExportView.as_view(), name="export"),
    path("new/", views.UnitFormView.as_view(), name="create"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.UnitFormView.as_view(), name="edit"),
    path("", include("zhaoshang.units.import_urls")),
    path("options.json", views.UnitOptionsView.as_view(), name="options"),
]
