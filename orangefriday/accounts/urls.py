from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import views

app_name = "accounts"


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page a reset link opens carries a secret in its address: never kept by a cache."""

    success_url = reverse_lazy("accounts:password_reset_complete")


urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", views.verify, name="verify_email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_changed",
    ),
    path("settings/", views.settings_page, name="settings"),
    path("settings/preferences/", views.preferences, name="preferences"),
    path("settings/profile/", views.profile_settings, name="profile_settings"),
    path("settings/email/", views.change_email, name="change_email"),
    path("settings/my-data.json", views.download_data, name="download_data"),
    path("settings/delete/", views.delete_my_account, name="delete_account"),
    path("email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("avatars/<str:name>", views.avatar, name="avatar"),
    path("language/", views.choose_language, name="language"),
    path("settings/tokens/<id:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("fans/<str:username>/", views.profile, name="profile"),
]
