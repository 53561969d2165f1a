from django.urls import path

from modules.notifications.interfaces.api import views

urlpatterns = [
    path("notifications", views.NotificationList.as_view(), name="notifications"),
    path(
        "notifications/<uuid:notification_id>",
        views.NotificationDetail.as_view(),
        name="notification",
    ),
]
