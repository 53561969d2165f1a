from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SharedConfig(AppConfig):
    name = "modules.shared.infrastructure"
    label = "shared"
    verbose_name = "Shared kernel"

    def ready(self) -> None:
        from modules.shared.infrastructure.database import (
            guard_tenant_foreign_keys,
            secure_database,
        )

        post_migrate.connect(
            secure_database, sender=self, dispatch_uid="secure_database"
        )
        post_migrate.connect(
            guard_tenant_foreign_keys,
            sender=self,
            dispatch_uid="guard_tenant_foreign_keys",
        )
