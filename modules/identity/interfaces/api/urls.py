from django.urls import path

from modules.identity.interfaces.api import security, views

urlpatterns = [
    path("users", views.UserRegistration.as_view(), name="users"),
    path(
        "email-verifications",
        views.EmailVerification.as_view(),
        name="email-verifications",
    ),
    path("sessions", views.Sessions.as_view(), name="sessions"),
    path("sessions/refresh", views.SessionRefresh.as_view(), name="sessions-refresh"),
    path("sessions/current", views.CurrentSession.as_view(), name="sessions-current"),
    path("password-resets", views.PasswordResets.as_view(), name="password-resets"),
    path(
        "password-resets/confirmations",
        views.PasswordResetConfirmations.as_view(),
        name="password-reset-confirmations",
    ),
    path(
        "sessions/<uuid:sign_in_id>",
        views.SessionDetail.as_view(),
        name="session-detail",
    ),
    path("me", views.Me.as_view(), name="me"),
    path(
        "me/password-changes",
        security.PasswordChanges.as_view(),
        name="password-changes",
    ),
    path("me/email-changes", security.EmailChanges.as_view(), name="email-changes"),
    path("me/mfa/totp", security.Totp.as_view(), name="totp"),
    path(
        "me/mfa/totp/confirmations",
        security.TotpConfirmations.as_view(),
        name="totp-confirmations",
    ),
]
