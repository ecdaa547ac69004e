from django.urls import include, path

from zhaoshang.projects import board, threshold_views, views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("export.xlsx", views.ProjectExportView.as_view(), name="export"),
    path("new/", views.ProjectFormView.as_view(), name="create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProjectFormView.as_view(), name="edit"),
    path("<int:pk>/stage/", views.ProjectStageView.as_view(), name="stage"),
    path("<int:pk>/approvals/", views.ProjectApprovalsView.as_view(), name="approvals"),
    path("<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attach"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/", views.AttachmentDownloadView.as_view(), name="attachment"
    ),
    path("", include("zhaoshang.projects.import_urls")),
]

# The kanban board of projects by stage (projects/board.py), appended.
urlpatterns += [
    path("board/", board.BoardView.as_view(), name="board"),
    path("<int:pk>/move/", board.MoveView.as_view(), name="move"),
]

# The county's thresholds (亿元以上, 3000万元以上工业, 重点; decision 52), appended.
urlpatterns += [path("thresholds/<int:pk>/", threshold_views.ThresholdsView.as_view(), name="thresholds")]
