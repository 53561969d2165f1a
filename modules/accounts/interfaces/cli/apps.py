from django.apps import AppConfig


class AccountsCliConfig(AppConfig):
    """Registers the accounts' management commands (`load_exchange_rates`)."""

    name = "modules.accounts.interfaces.cli"
    label = "accounts_cli"
