from django.apps import AppConfig


class SharedWebConfig(AppConfig):
    """Templates tags and public pages shared by every module's web interface."""

    name = "modules.shared.interfaces.web"
    label = "shared_web"
