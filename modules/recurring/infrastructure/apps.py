from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecurringConfig(AppConfig):
    name = "modules.recurring.infrastructure"
    label = "recurring"
    verbose_name = _("Recurring")

    def ready(self) -> None:
        from modules.live.api import register_consumer
        from modules.recurring.infrastructure.consumers import pay_bills
        from modules.recurring.infrastructure.shortfalls import announce_shortfall

        register_consumer("recurring.bills", pay_bills)
        register_consumer("recurring.shortfalls", announce_shortfall)
