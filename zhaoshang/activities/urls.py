from django.urls import path

from zhaoshang.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("export.xlsx", views.ActivityExportView.as_view(), name="export"),
    path("new/", views.ActivityFormView.as_view(), name="create"),
    path("inquiries/overdue/", views.OverdueInquiriesView.as_view(), name="overdue"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ActivityFormView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
    path("<int:pk>/steps/", views.InquiryStepView.as_view(), name="step"),
]
