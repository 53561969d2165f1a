from django.apps import AppConfig


class TransactionsCliConfig(AppConfig):
    """Registers the ledger's management commands (`ledger_check`)."""

    name = "modules.transactions.interfaces.cli"
    label = "transactions_cli"
