from django.urls import path

from zhaoshang.parks import views

app_name = "parks"

urlpatterns = [
    path("", views.ParkListView.as_view(), name="list"),
    path("<int:pk>/", views.ParkDetailView.as_view(), name="detail"),
    path("<int:pk>/profile/", views.ProfileEditView.as_view(), name="profile"),
    path("<int:pk>/infrastructure/", views.InfrastructureAddView.as_view(), name="infrastructure_add"),
    path("<int:pk>/factories/", views.FactoryAddView.as_view(), name="factory_add"),
    path("matches/<int:pk>/", views.MatchView.as_view(), name="matches"),
    path("matches/<int:pk>/take/", views.TakeView.as_view(), name="take"),
    path("idle/", views.IdleListView.as_view(), name="idle_list"),
    path("idle/export.xlsx", views.IdleExportView.as_view(), name="idle_export"),
    path("idle/new/", views.IdleCreateView.as_view(), name="idle_create"),
    path("idle/<int:pk>/", views.IdleEditView.as_view(), name="idle_edit"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map/points.json", views.MapPointsView.as_view(), name="map_points"),
]
