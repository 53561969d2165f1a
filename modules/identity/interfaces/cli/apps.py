from django.apps import AppConfig


class IdentityCliConfig(AppConfig):
    """Registers identity's management commands (`interfaces/cli/management/commands`)."""

    name = "modules.identity.interfaces.cli"
    label = "identity_cli"
