from django.urls import path

from zhaoshang.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="list"),
    path("export.xlsx", views.InspectionExportView.as_view(), name="export"),
    path("new/", views.InspectionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="detail"),
    path("<int:pk>/items/", views.ItemAddView.as_view(), name="item_add"),
    path("items/", views.ItemListView.as_view(), name="items"),
    path("items/export.xlsx", views.ItemExportView.as_view(), name="items_export"),
    path("items/<int:pk>/rectify/", views.RectifyView.as_view(), name="rectify"),
    path("items/<int:pk>/verify/", views.VerifyView.as_view(), name="verify"),
    path("items/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("items/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
]
