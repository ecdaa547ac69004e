from django.urls import path

from zhaoshang.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/retry/", views.JobRetryView.as_view(), name="retry"),
    path("<int:pk>/output/", views.JobOutputView.as_view(), name="output"),
]
