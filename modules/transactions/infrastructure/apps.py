from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransactionsConfig(AppConfig):
    name = "modules.transactions.infrastructure"
    label = "transactions"
    verbose_name = _("Transactions")

    def ready(self) -> None:
        from modules.transactions.infrastructure import default_categories  # noqa: F401
