from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransactionsConfig(AppConfig):
    name = "modules.transactions.infrastructure"
    label = "transactions"
    verbose_name = _("Transactions")

    def ready(self) -> None:
        from modules.accounts.api import connect_ledger
        from modules.live.api import register_consumer
        from modules.transactions.infrastructure.default_categories import (
            seed_new_tenant,
        )
        from modules.transactions.infrastructure.uow import LedgerForAccounts

        connect_ledger(LedgerForAccounts())
        register_consumer("transactions.starter_categories", seed_new_tenant)
