from django.urls import path

from zhaoshang.summaries import views

app_name = "summaries"

PERIOD = "<int:pk>/<int:year>/<int:first>-<int:last>"

urlpatterns = [
    path("", views.SummaryIndexView.as_view(), name="index"),
    path(f"{PERIOD}/", views.SummaryView.as_view(), name="summary"),
    path(f"{PERIOD}/summary.docx", views.SummaryDocxView.as_view(), name="summary_docx"),
    path(f"{PERIOD}/batch/", views.BatchView.as_view(), name="batch"),
    path(f"{PERIOD}/summary.pdf", views.SummaryPdfView.as_view(), name="summary_pdf"),
    path("<int:pk>/<int:year>/<int:month>/bulletin/", views.BulletinView.as_view(), name="bulletin"),
    path(
        "<int:pk>/<int:year>/<int:month>/bulletin.docx",
        views.BulletinDocxView.as_view(),
        name="bulletin_docx",
    ),
    path(
        "<int:pk>/<int:year>/<int:month>/bulletin.xlsx",
        views.BulletinXlsxView.as_view(),
        name="bulletin_xlsx",
    ),
    path(
        "<int:pk>/<int:year>/<int:month>/bulletin.pdf", views.BulletinPdfView.as_view(), name="bulletin_pdf"
    ),
]
