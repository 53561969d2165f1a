from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "modules.budgets.infrastructure"
    label = "budgets"
    verbose_name = _("Budgets")

    def ready(self) -> None:
        from modules.budgets.infrastructure.consumers import on_event
        from modules.live.api import register_consumer

        register_consumer("budgets.thresholds", on_event)
