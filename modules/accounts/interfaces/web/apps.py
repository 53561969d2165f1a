from django.apps import AppConfig


class AccountsWebConfig(AppConfig):
    """Installed only so templates can `{% load accounts_tags %}`; it has no models."""

    name = "modules.accounts.interfaces.web"
    label = "accounts_web"
