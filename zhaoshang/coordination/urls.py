from django.urls import path

from zhaoshang.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("export.xlsx", views.RequestExportView.as_view(), name="export"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("new/", views.RequestCreateView.as_view(), name="create"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("<int:pk>/reply/", views.ReplyView.as_view(), name="reply"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/comment/", views.CommentView.as_view(), name="comment"),
    path("files/<int:pk>/", views.ActivityFileView.as_view(), name="file"),
]
