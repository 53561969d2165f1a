from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecurringConfig(AppConfig):
    name = "modules.recurring.infrastructure"
    label = "recurring"
    verbose_name = _("Recurring")
