from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SharedConfig(AppConfig):
    name = "modules.shared.infrastructure"
    label = "shared"
    verbose_name = "Shared kernel"

    def ready(self) -> None:
        from modules.shared.infrastructure.database import secure_database

        post_migrate.connect(
            secure_database, sender=self, dispatch_uid="secure_database"
        )
