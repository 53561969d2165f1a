from django.apps import AppConfig


class PrivacyCliConfig(AppConfig):
    """Registers the privacy module's management commands (`enforce_retention`)."""

    name = "modules.privacy.interfaces.cli"
    label = "privacy_cli"
