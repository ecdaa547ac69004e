"""User management, under /accounts/users/ in the "accounts" namespace."""

from django.urls import path

from zhaoshang.accounts import user_views as views

urlpatterns = [
    path("", views.UserListView.as_view(), name="user_list"),
    path("export.xlsx", views.UserExportView.as_view(), name="user_export"),
    path("new/", views.UserCreateView.as_view(), name="user_create"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("<int:pk>/password/", views.PasswordView.as_view(), name="user_password"),
    path("<int:pk>/deactivate/", views.UserActiveView.as_view(active=False), name="user_deactivate"),
    path("<int:pk>/reactivate/", views.UserActiveView.as_view(active=True), name="user_reactivate"),
    path("<int:pk>/memberships/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path(
        "<int:pk>/memberships/<int:membership_pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
]
