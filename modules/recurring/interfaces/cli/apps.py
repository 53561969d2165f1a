from django.apps import AppConfig


class RecurringCliConfig(AppConfig):
    """Registers the recurring module's management commands (`sweep_recurring`)."""

    name = "modules.recurring.interfaces.cli"
    label = "recurring_cli"
