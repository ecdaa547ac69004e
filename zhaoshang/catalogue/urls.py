from django.urls import path

from zhaoshang.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.OfferListView.as_view(), name="list"),
    path("export.xlsx", views.OfferExportView.as_view(), name="export"),
    path("new/", views.OfferCreateView.as_view(), name="create"),
    path("brochure/", views.BrochureView.as_view(), name="brochure"),
    path("<int:pk>/", views.OfferDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OfferEditView.as_view(), name="edit"),
    path("<int:pk>/move/", views.MoveView.as_view(), name="move"),
    path("<int:pk>/opinions/ask/", views.AskOpinionView.as_view(), name="opinion_ask"),
    path("<int:pk>/opinions/", views.RecordOpinionView.as_view(), name="opinion_record"),
    path("<int:pk>/files/", views.FileAddView.as_view(), name="file_add"),
    path("<int:pk>/files/<int:file_pk>/", views.FileDownloadView.as_view(), name="file"),
    path("<int:pk>/take/", views.TakeView.as_view(), name="take"),
    path("fairs/<int:pk>/", views.FairView.as_view(), name="fair"),
    path("profile/<int:pk>/", views.ProfileView.as_view(), name="profile"),
]
