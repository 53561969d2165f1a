from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "modules.budgets.infrastructure"
    label = "budgets"
    verbose_name = _("Budgets")
