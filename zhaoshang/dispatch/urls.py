from django.urls import path

from zhaoshang.dispatch import views

app_name = "dispatch"

_action = views.ReportActionView.as_view

urlpatterns = [
    path("", views.RoundListView.as_view(), name="rounds"),
    path("to-report/", views.ToReportView.as_view(), name="my_reports"),
    path("review/", views.ReviewQueueView.as_view(), name="queue"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/table.xlsx", views.TableView.as_view(fmt="xlsx"), name="table_xlsx"),
    path("rounds/<int:pk>/table.docx", views.TableView.as_view(fmt="docx"), name="table_docx"),
    path("entries/<int:pk>/report/", views.StartReportView.as_view(), name="report_start"),
    path("projects/<int:pk>/report/", views.ProjectReportView.as_view(), name="project_report"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/save/", _action(operation="save"), name="report_save"),
    path("reports/<int:pk>/funds/", _action(operation="funds"), name="report_funds"),
    path("reports/<int:pk>/files/", _action(operation="file"), name="report_file"),
    path("reports/<int:pk>/submit/", _action(operation="submit"), name="report_submit"),
    path("reports/<int:pk>/verify/", _action(operation="verify"), name="report_verify"),
    path("reports/<int:pk>/return/", _action(operation="return"), name="report_return"),
    path("lines/<int:pk>/remove/", views.FundsLineRemoveView.as_view(), name="line_remove"),
    path(
        "lines/<int:pk>/evidence/",
        views.DownloadView.as_view(model=views.FundsLine, field="evidence"),
        name="evidence",
    ),
    path("files/<int:pk>/", views.DownloadView.as_view(), name="file"),
    path("calendars/<int:pk>/", views.CalendarView.as_view(), name="calendar"),
]
