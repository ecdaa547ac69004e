from django.urls import path

from zhaoshang.assessment import consequence_views, views

app_name = "assessment"

urlpatterns = [
    path("", views.RankingView.as_view(), name="ranking"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("accountability/", consequence_views.AccountabilityView.as_view(), name="accountability"),
    path("red-black/", consequence_views.RedBlackView.as_view(), name="red_black"),
    path("rankings/<int:pk>/criticism/", consequence_views.CriticismView.as_view(), name="criticism"),
    path(
        "rankings/<int:pk>/commendation/", consequence_views.CommendationView.as_view(), name="commendation"
    ),
    path(
        "rankings/<int:pk>/red-black/",
        consequence_views.RedBlackNoticeView.as_view(),
        name="red_black_notice",
    ),
    path("rankings/<int:pk>/rectify/", consequence_views.RectifyView.as_view(), name="rectify"),
    path("groups/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("groups/<int:pk>/targets/", views.PersonTargetsView.as_view(), name="person_targets"),
    path("units/<int:pk>/", views.UnitScoreView.as_view(), name="unit"),
    path("persons/<int:pk>/", views.PersonScoreView.as_view(), name="person"),
    path("units/<int:pk>/self-evaluation/", views.SelfEvaluationView.as_view(), name="self_evaluate"),
    path("schemes/new/", views.SchemeCreateView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", views.SchemeView.as_view(), name="scheme"),
    path("schemes/<int:pk>/copy/", views.SchemeCopyView.as_view(), name="scheme_copy"),
]
