from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "modules.notifications.infrastructure"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from modules.notifications.infrastructure.consumers import notify
        from modules.shared.infrastructure.outbox import register_consumer

        register_consumer("notifications", notify)
