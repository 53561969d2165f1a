"""Identity pages; included at the root with the namespace `identity`."""

from django.urls import path

from modules.identity.interfaces.web import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/check-email/", views.signup_done, name="signup-done"),
    path("verify-email/", views.verify_email, name="verify-email"),
    path(
        "verify-email/resend/",
        views.resend_verification,
        name="verify-email-resend",
    ),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path(
        "password-reset/sent/",
        views.password_reset_done,
        name="password-reset-done",
    ),
    path(
        "password-reset/confirm/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("app/settings/", views.settings_view, name="settings"),
]
