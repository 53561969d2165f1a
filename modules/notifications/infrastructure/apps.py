from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "modules.notifications.infrastructure"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from modules.live.api import register_consumer
        from modules.notifications.infrastructure.consumers import notify

        register_consumer("notifications", notify)
