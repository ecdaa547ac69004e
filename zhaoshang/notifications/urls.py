from django.urls import path

from zhaoshang.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read/", views.MarkReadView.as_view(), name="read_all"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="read"),
    path("robots/", views.RobotListView.as_view(), name="robots"),
    path("robots/unit/<int:pk>/", views.RobotEditView.as_view(), name="robot"),
]
