from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "modules.identity.infrastructure"
    label = "identity"
    verbose_name = _("Identity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers, and the reset task every worker must know.
        from modules.identity.infrastructure import (  # noqa: F401
            admin_audit,
            reset,
            sign_ins,
        )
