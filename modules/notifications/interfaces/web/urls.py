"""Notification pages under /app/; included with the namespace `notifications`."""

from django.urls import path

from modules.notifications.interfaces.web import views

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_all_read, name="read-all"),
    path(
        "notifications/<uuid:notification_id>/read/",
        views.mark_read,
        name="read",
    ),
]
