from django.urls import path

from zhaoshang.ledger import views

app_name = "ledger"

urlpatterns = [
    path("funds/", views.FundsQueueView.as_view(), name="funds_queue"),
    path("projects/<int:pk>/funds/", views.FundsRecordView.as_view(), name="funds_record"),
    path("funds/<int:pk>/verify/", views.FundsActionView.as_view(operation="verify"), name="funds_verify"),
    path("funds/<int:pk>/return/", views.FundsActionView.as_view(operation="return"), name="funds_return"),
    path("funds/<int:pk>/delete/", views.FundsActionView.as_view(operation="delete"), name="funds_delete"),
]
