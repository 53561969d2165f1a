from django.urls import path

from modules.identity.interfaces.api import views

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
    path("me", views.Me.as_view(), name="me"),
]
