"""Identity pages; included at the root with the namespace `identity`."""

from django.urls import path

from modules.identity.interfaces.web import settings_views, views

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
    path("login/code/", settings_views.second_factor, name="second-factor"),
    path(
        "email-change/confirm/",
        settings_views.email_change_confirm,
        name="email-change-confirm",
    ),
    path(
        "email-change/revert/",
        settings_views.email_change_revert,
        name="email-change-revert",
    ),
    path("app/settings/", settings_views.settings_view, name="settings"),
    path(
        "app/settings/password/", settings_views.password_change, name="password-change"
    ),
    path("app/settings/email/", settings_views.email_change, name="email-change"),
    path(
        "app/settings/devices/<uuid:sign_in_id>/sign-out/",
        settings_views.end_device,
        name="device-end",
    ),
    path(
        "app/settings/devices/sign-out-others/",
        settings_views.end_other_devices,
        name="devices-end-others",
    ),
    path("app/settings/two-step/", settings_views.totp_setup, name="totp-setup"),
    path("app/settings/two-step/off/", settings_views.totp_off, name="totp-off"),
]
