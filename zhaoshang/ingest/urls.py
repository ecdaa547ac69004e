from django.urls import path

from zhaoshang.ingest import views

app_name = "ingest"

urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.ReviewView.as_view(), name="review"),
]
