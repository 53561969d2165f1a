from django.apps import AppConfig


class SharedConfig(AppConfig):
    name = "modules.shared.infrastructure"
    label = "shared"
    verbose_name = "Shared kernel"
