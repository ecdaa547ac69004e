from django.urls import path

from zhaoshang.ledger import drilldown_views, indicator_views, manual_views, views

app_name = "ledger"

urlpatterns = [
    path("figures/", drilldown_views.DrilldownView.as_view(), name="drilldown"),
    path("funds/", views.FundsQueueView.as_view(), name="funds_queue"),
    path("indicators/", indicator_views.IndicatorListView.as_view(), name="indicators"),
    path("indicators/new/", indicator_views.IndicatorFormView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicator_views.IndicatorFormView.as_view(), name="indicator_edit"),
    path("projects/<int:pk>/funds/", views.FundsRecordView.as_view(), name="funds_record"),
    path("funds/<int:pk>/evidence/", views.FundsEvidenceView.as_view(), name="funds_evidence"),
    path("funds/<int:pk>/verify/", views.FundsActionView.as_view(operation="verify"), name="funds_verify"),
    path("funds/<int:pk>/return/", views.FundsActionView.as_view(operation="return"), name="funds_return"),
    path("funds/<int:pk>/delete/", views.FundsActionView.as_view(operation="delete"), name="funds_delete"),
    path("manual/", manual_views.ManualEntriesView.as_view(), name="manual_entries"),
    path("manual/indicators/new/", manual_views.ManualDefineView.as_view(), name="manual_define"),
    path("manual/<int:pk>/evidence/", manual_views.ManualEvidenceView.as_view(), name="manual_evidence"),
    path(
        "manual/<int:pk>/verify/",
        manual_views.ManualActionView.as_view(operation="verify"),
        name="manual_verify",
    ),
    path(
        "manual/<int:pk>/return/",
        manual_views.ManualActionView.as_view(operation="return"),
        name="manual_return",
    ),
    path(
        "manual/<int:pk>/delete/",
        manual_views.ManualActionView.as_view(operation="delete"),
        name="manual_delete",
    ),
    path("rates/", indicator_views.RateView.as_view(), name="rates"),
]

# Verifying the ticked lines of the queue in one action (issue 18), appended.
urlpatterns += [path("funds/verify-selected/", views.FundsBulkVerifyView.as_view(), name="funds_bulk_verify")]

# A county's own indicators from counting rules (issue 19, 统计口径), appended.
urlpatterns += [path("units/<int:pk>/rules/", indicator_views.CountyRulesView.as_view(), name="county_rules")]
