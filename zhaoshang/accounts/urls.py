from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhaoshang.accounts import login_views

app_name = "accounts"

urlpatterns = [
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("login/code/", login_views.LoginCodeView.as_view(), name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", login_views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", login_views.TwoFactorSetupView.as_view(), name="otp_setup"),
    path("two-factor/off/", login_views.TwoFactorDisableView.as_view(), name="otp_disable"),
    path("users/", include("zhaoshang.accounts.user_urls")),
]
